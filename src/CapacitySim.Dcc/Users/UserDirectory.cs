using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Dcc.Users;

/// <summary>
/// The DCC's users, found by EUI-64 without allocating. Each user's <see cref="DuisUser.Index"/> is its position here,
/// so per-user state (such as the highest originator counter seen) can live in a plain array. Immutable and thread-safe.
/// </summary>
public sealed class UserDirectory
{
    private readonly DuisUser[] users;
    private readonly FrozenDictionary<ulong, int> byEui;

    /// <summary>Creates a directory; every user gets its <see cref="DuisUser.Index"/>.</summary>
    /// <exception cref="ArgumentException">Two users share an EUI-64, or a user already belongs to another directory.</exception>
    public UserDirectory(IEnumerable<DuisUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        this.users = [.. users];
        var map = new Dictionary<ulong, int>(this.users.Length);
        for (var i = 0; i < this.users.Length; i++)
        {
            var user = this.users[i];
            if (!map.TryAdd(user.Eui.Value, i))
            {
                throw new ArgumentException($"Two users with EUI {user.Eui}.", nameof(users));
            }

            if (user.Index >= 0 && user.Index != i)
            {
                throw new ArgumentException($"User {user} already belongs to another directory.", nameof(users));
            }

            user.Index = i;
        }

        byEui = map.ToFrozenDictionary();
    }

    /// <summary>Number of users.</summary>
    public int Count => users.Length;

    /// <summary>Every user, in directory order.</summary>
    public IReadOnlyList<DuisUser> All => users;

    /// <summary>The user at <paramref name="index"/>.</summary>
    public DuisUser this[int index] => users[index];

    /// <summary>Finds a user by EUI-64 (no allocation).</summary>
    public bool TryFind(Eui64 eui, [NotNullWhen(true)] out DuisUser? user)
    {
        if (byEui.TryGetValue(eui.Value, out var index))
        {
            user = users[index];
            return true;
        }

        user = null;
        return false;
    }

    /// <summary>
    /// A directory of the same users with every response endpoint set to <paramref name="responseEndpoint"/>: DCC
    /// Boxed's single "receive response service address", for pointing all responses and alerts at one receiver.
    /// </summary>
    public UserDirectory WithResponseEndpoint(Uri responseEndpoint)
    {
        ArgumentNullException.ThrowIfNull(responseEndpoint);
        var copies = new DuisUser[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            copies[i] = users[i].WithResponseEndpoint(responseEndpoint);
        }

        return new UserDirectory(copies);
    }
}
