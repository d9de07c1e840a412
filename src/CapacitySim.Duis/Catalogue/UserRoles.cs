namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// DUIS User Roles, as a set: the roles eligible to send a Service Reference Variant. The codes in the comments are
/// those of the DUIS Service Request matrix (<c>request-matrix.json</c>).
/// </summary>
[Flags]
public enum UserRoles : byte
{
    /// <summary>No role (a variant no user may send directly).</summary>
    None = 0,

    /// <summary>IS: Import Supplier.</summary>
    ImportSupplier = 1 << 0,

    /// <summary>ES: Export Supplier.</summary>
    ExportSupplier = 1 << 1,

    /// <summary>GS: Gas Supplier.</summary>
    GasSupplier = 1 << 2,

    /// <summary>ED: Electricity Distributor.</summary>
    ElectricityDistributor = 1 << 3,

    /// <summary>GT: Gas Transporter.</summary>
    GasTransporter = 1 << 4,

    /// <summary>OU: Other User.</summary>
    OtherUser = 1 << 5,

    /// <summary>RSA: Registered Supplier Agent.</summary>
    RegisteredSupplierAgent = 1 << 6,
}

/// <summary>The short role codes of the DUIS matrix (IS, ES, GS, ED, GT, OU, RSA).</summary>
public static class UserRoleCodes
{
    /// <summary>Every single role, in the order of <see cref="UserRoles"/>.</summary>
    public static ReadOnlySpan<UserRoles> All =>
    [
        UserRoles.ImportSupplier,
        UserRoles.ExportSupplier,
        UserRoles.GasSupplier,
        UserRoles.ElectricityDistributor,
        UserRoles.GasTransporter,
        UserRoles.OtherUser,
        UserRoles.RegisteredSupplierAgent,
    ];

    /// <summary>Parses one role code such as <c>IS</c> (upper case, as DUIS writes it).</summary>
    public static bool TryParse(ReadOnlySpan<char> code, out UserRoles role)
    {
        role = code switch
        {
            "IS" => UserRoles.ImportSupplier,
            "ES" => UserRoles.ExportSupplier,
            "GS" => UserRoles.GasSupplier,
            "ED" => UserRoles.ElectricityDistributor,
            "GT" => UserRoles.GasTransporter,
            "OU" => UserRoles.OtherUser,
            "RSA" => UserRoles.RegisteredSupplierAgent,
            _ => UserRoles.None,
        };
        return role != UserRoles.None;
    }

    /// <summary>The codes of every role in <paramref name="roles"/>, in the order of <see cref="All"/>, joined by <paramref name="separator"/>.</summary>
    public static string Format(UserRoles roles, string separator)
    {
        List<string> codes = [];
        foreach (var role in All)
        {
            if ((roles & role) != 0)
            {
                codes.Add(GetCode(role));
            }
        }

        return string.Join(separator, codes);
    }

    /// <summary>The code of one role (<c>IS</c>…).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not exactly one role.</exception>
    public static string GetCode(UserRoles role) => role switch
    {
        UserRoles.ImportSupplier => "IS",
        UserRoles.ExportSupplier => "ES",
        UserRoles.GasSupplier => "GS",
        UserRoles.ElectricityDistributor => "ED",
        UserRoles.GasTransporter => "GT",
        UserRoles.OtherUser => "OU",
        UserRoles.RegisteredSupplierAgent => "RSA",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a single DUIS user role."),
    };
}
