using System.Text;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Tests.Identifiers;

public class IdentifierTests
{
    [Theory]
    [InlineData("90-B3-D5-1F-30-01-00-00", 0x90B3D51F30010000UL)]
    [InlineData("90-b3-d5-1f-30-01-00-00", 0x90B3D51F30010000UL)]
    [InlineData("00-DB-12-34-56-78-90-A0", 0x00DB1234567890A0UL)]
    [InlineData("FF-FF-FF-FF-FF-FF-FF-FF", ulong.MaxValue)]
    public void Eui64_parses_either_case_and_formats_upper(string text, ulong expected)
    {
        Assert.True(Eui64.TryParse(Encoding.ASCII.GetBytes(text), out var eui));
        Assert.Equal(expected, eui.Value);
        Assert.Equal(text.ToUpperInvariant(), eui.ToString());
        Span<byte> buffer = stackalloc byte[Eui64.FormattedLength];
        Assert.True(eui.TryFormat(buffer, out var n));
        Assert.Equal(text.ToUpperInvariant(), Encoding.ASCII.GetString(buffer[..n]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("90-B3-D5-1F-30-01-00")]
    [InlineData("90-B3-D5-1F-30-01-00-0G")]
    [InlineData("90:B3-D5-1F-30-01-00-00")]
    [InlineData("90-B3-D5-1F-30-01-00-000")]
    public void Eui64_rejects_malformed(string text)
    {
        Assert.False(Eui64.TryParse(Encoding.ASCII.GetBytes(text), out _));
        Assert.Throws<FormatException>(() => Eui64.Parse(text));
    }

    [Fact]
    public void Eui64_format_into_short_buffer_fails_without_writing_past_it()
    {
        Span<byte> buffer = stackalloc byte[Eui64.FormattedLength - 1];
        Assert.False(new Eui64(1).TryFormat(buffer, out var n));
        Assert.Equal(0, n);
    }

    [Theory]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000", 1000UL)]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:0", 0UL)]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615", ulong.MaxValue)]
    public void RequestId_round_trips(string text, ulong counter)
    {
        Assert.True(RequestId.TryParse(Encoding.ASCII.GetBytes(text), out var id));
        Assert.Equal(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), id.Originator);
        Assert.Equal(Eui64.Parse("00-DB-12-34-56-78-90-A0"), id.Target);
        Assert.Equal(counter, id.Counter);
        Assert.Equal(text, id.ToString());
        Assert.Equal(id, RequestId.Parse(text));
    }

    [Theory]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:01")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1")]
    [InlineData("90-B3-D5-1F-30-01-00-00;00-DB-12-34-56-78-90-A0:1")]
    public void RequestId_rejects_what_the_schema_pattern_rejects(string text)
        => Assert.False(RequestId.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void ResponseId_names_source_then_recipient()
    {
        var id = ResponseId.TryParse("88-73-84-57-00-2F-96-1E:90-B3-D5-1F-30-01-00-00:1660751141087"u8, out var parsed) ? parsed : default;
        Assert.Equal(Eui64.Parse("88-73-84-57-00-2F-96-1E"), id.Source);
        Assert.Equal(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), id.Recipient);
        Assert.Equal(1660751141087UL, id.Counter);
    }

    [Theory]
    [InlineData("4.1.1", 4, 1, 1)]
    [InlineData("8.2", 8, 2, 0)]
    [InlineData("6.2.10", 6, 2, 10)]
    [InlineData("14.1", 14, 1, 0)]
    public void ServiceReferenceVariant_round_trips(string text, byte major, byte minor, byte sub)
    {
        var srv = ServiceReferenceVariant.Parse(text);
        Assert.Equal(new ServiceReferenceVariant(major, minor, sub), srv);
        Assert.Equal(text, srv.ToString());
        Span<byte> buffer = stackalloc byte[ServiceReferenceVariant.MaxFormattedLength];
        Assert.True(srv.TryFormat(buffer, out var n));
        Assert.Equal(text, Encoding.ASCII.GetString(buffer[..n]));
    }

    [Theory]
    [InlineData("4")]
    [InlineData("4.1.1.1")]
    [InlineData("4..1")]
    [InlineData("04.1")]
    [InlineData("4.1.0")]
    [InlineData("a.b")]
    public void ServiceReferenceVariant_rejects_malformed(string text)
        => Assert.False(ServiceReferenceVariant.TryParse(text.AsSpan(), out _));

    [Theory]
    [InlineData("I0", ResponseCodeKind.Information, 0)]
    [InlineData("I99", ResponseCodeKind.Information, 99)]
    [InlineData("E19", ResponseCodeKind.Error, 19)]
    [InlineData("W3", ResponseCodeKind.Warning, 3)]
    public void ResponseCode_round_trips(string text, ResponseCodeKind kind, ushort number)
    {
        var code = ResponseCode.Parse(text);
        Assert.Equal(new ResponseCode(kind, number), code);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData("8F35", 0x8F35)]
    [InlineData("8f01", 0x8F01)]
    public void DeviceAlertCode_parses_hex(string text, int value)
    {
        var code = DeviceAlertCode.Parse(text);
        Assert.Equal((ushort)value, code.Value);
        Assert.Equal(text.ToUpperInvariant(), code.ToString());
    }

    [Theory]
    [InlineData("N24")]
    [InlineData("AD1")]
    [InlineData("N999")]
    public void DccAlertCode_round_trips(string text) => Assert.Equal(text, DccAlertCode.Parse(text).ToString());
}
