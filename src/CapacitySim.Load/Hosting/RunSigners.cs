using CapacitySim.Dcc.Simulation;
using CapacitySim.Duis.Signing;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Hosting;

/// <summary>Each scenario user's signing identity, taken from the run's one choice of keys.</summary>
internal static class RunSigners
{
    public static SigningIdentity?[] For(Scenario scenario, DuisKeyMaterial keys, bool signing)
    {
        var signers = new SigningIdentity?[scenario.Users.Count];
        if (!signing)
        {
            return signers;
        }

        if (keys.MaterialKeys is null)
        {
            // One read of the test PKI for every user, so that the DCC, which needs them all, shares the same store.
            keys.EnsureTestUsers(scenario.Users.Select(u => u.Eui));
        }

        for (var i = 0; i < signers.Length; i++)
        {
            var user = scenario.Users[i];
            try
            {
                signers[i] = user.Key is { } key && user.KeyIsPath
                    ? SigningIdentity.Load(Path.GetDirectoryName(key)!, Path.GetFileNameWithoutExtension(key))
                    : MaterialStem(user, keys) is { } stem ? keys.MaterialKeys!.Identity(stem) : keys.UserIdentity(user.Eui);
            }
            catch (InvalidOperationException ex)
            {
                throw new RunSetupException(ex.Message, ex);
            }
        }

        return signers;
    }

    // The user's key when it names a stem of the DUIS material's key store (so the DCC knows its certificate); else null.
    public static string? MaterialStem(ScenarioUser user, DuisKeyMaterial keys)
        => user.Key is { } stem && !user.KeyIsPath && keys.MaterialKeys is { } store && store.TryFindByStem(stem, out _) ? stem : null;
}
