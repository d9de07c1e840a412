namespace CapacitySim.Reporting.Tests;

public sealed class AssemblyTests
{
    [Fact]
    public void Reporting_assembly_is_the_one_named()
        => Assert.Equal(ReportingAssembly.Name, typeof(ReportingAssembly).Assembly.GetName().Name);
}
