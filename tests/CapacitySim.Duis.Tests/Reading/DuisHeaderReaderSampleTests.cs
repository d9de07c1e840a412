using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Reading;

/// <summary>The reader against every shared DUIS sample, checked field by field against System.Xml.</summary>
public class DuisHeaderReaderSampleTests
{
    private static string SignedResponsePath => Path.Combine(SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml");

    private static string RequestPath => Path.Combine(SharedDuis.RequestSamples, "11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML");

    private static string SignedRequestPath => Path.Combine(SharedDuis.SignedSamples, "8.3_DECOMMISSION_DEVICE_REQUEST_DUIS-signed.xml");

    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { SharedDuis.RequestSamples, SharedDuis.SignedSamples, SharedDuis.ResponseSamples })
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.Combine(Path.GetFileName(folder), Path.GetFileName(file)));
            }
        }

        return data;
    }

    [Fact]
    public void Every_sample_folder_has_files()
    {
        // The theory below must not pass vacuously on an empty folder.
        Assert.True(Directory.GetFiles(SharedDuis.RequestSamples).Length > 100);
        Assert.Equal(5, Directory.GetFiles(SharedDuis.SignedSamples).Length);
        Assert.Equal(2, Directory.GetFiles(SharedDuis.ResponseSamples).Length);
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Sample_reads_and_agrees_with_System_Xml(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.Directory, "samples", relativePath));

        var status = DuisHeaderReader.TryRead(bytes, out var header);

        Assert.Equal(DuisReadStatus.Ok, status);
        HeaderOracle.AssertAgrees(bytes, header);
    }

    [Fact]
    public void Signed_response_fields_are_the_ones_in_the_file()
    {
        // Spelled out once, so a shared mistake of reader and oracle would still show.
        var status = DuisHeaderReader.TryRead(File.ReadAllBytes(SignedResponsePath), out var h);

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(DuisMessageKind.Response, h.MessageKind);
        Assert.Equal(DuisBodyKind.ResponseMessage, h.BodyKind);
        Assert.Equal(RequestId.Parse("90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087"), h.RequestId);
        Assert.True(ResponseId.TryParse("88-73-84-57-00-2F-96-1E:90-B3-D5-1F-30-01-00-00:1660751141087".AsSpan(), out var responseId));
        Assert.Equal(responseId, h.ResponseId);
        Assert.Equal(ResponseCode.Success, h.ResponseCode);
        Assert.Equal(new DateTimeOffset(2022, 8, 17, 15, 45, 42, 790, TimeSpan.Zero), h.ResponseDateTime);
        Assert.Equal(new ServiceReference(11, 2), h.ServiceReference);
        Assert.Equal(new ServiceReferenceVariant(11, 2, 0), h.ServiceReferenceVariant);
        Assert.True(h.HasSignature);
        Assert.False(h.HasCommandVariant || h.HasDeviceAlertCode || h.HasDccAlertCode || h.HasThrottledAlertCount);
    }

    [Fact]
    public void Request_fields_are_the_ones_in_the_file()
    {
        var status = DuisHeaderReader.TryRead(File.ReadAllBytes(RequestPath), out var h);

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(DuisMessageKind.Request, h.MessageKind);
        Assert.Equal(DuisBodyKind.Request, h.BodyKind);
        Assert.Equal(RequestId.Parse("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000"), h.RequestId);
        Assert.Equal(CommandVariant.NonDevice, h.CommandVariant);
        Assert.Equal(new ServiceReference(11, 1), h.ServiceReference);
        Assert.Equal(new ServiceReferenceVariant(11, 1, 0), h.ServiceReferenceVariant);
        // This template's signature binds the default namespace to XMLDSig and uses ds: inside.
        Assert.True(h.HasSignature);
        Assert.False(h.HasResponseId || h.HasResponseCode || h.HasResponseDateTime);
    }

    public static TheoryData<string> SplitSamples() => new() { SignedResponsePath, RequestPath, SignedRequestPath };

    [Theory]
    [MemberData(nameof(SplitSamples))]
    public void Split_into_two_segments_at_every_byte_reads_the_same(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(bytes, out var expected));

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var sequence = Segments.Split(bytes, cut);
            Assert.False(sequence.IsSingleSegment);

            var status = DuisHeaderReader.TryRead(sequence, out var actual);

            Assert.Equal(DuisReadStatus.Ok, status);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(SplitSamples))]
    public void One_byte_per_segment_reads_the_same(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(bytes, out var expected));

        var status = DuisHeaderReader.TryRead(Segments.OneBytePerSegment(bytes), out var actual);

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(SplitSamples))]
    public void Truncated_at_every_length_is_an_error_until_the_root_closes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var rootClosed = Array.LastIndexOf(bytes, (byte)'>') + 1;

        for (var length = 0; length <= bytes.Length; length++)
        {
            var status = DuisHeaderReader.TryRead(bytes.AsSpan(0, length), out var header);

            if (length < rootClosed)
            {
                Assert.True(status.IsXmlError(), $"length {length}: {status}");
                Assert.InRange(header.ErrorOffset, 0, length);
            }
            else
            {
                Assert.Equal(DuisReadStatus.Ok, status);
            }

            // The same through a two-segment sequence cut in the middle of what is left.
            var viaSequence = DuisHeaderReader.TryRead(Segments.Split(bytes[..length], length / 2), out var segmented);
            Assert.Equal(status, viaSequence);
            Assert.Equal(header.ErrorOffset, segmented.ErrorOffset);
        }
    }

    [Fact]
    public void Reading_allocates_nothing_in_steady_state()
    {
        var response = File.ReadAllBytes(SignedResponsePath);
        var request = File.ReadAllBytes(RequestPath);
        var segmented = Segments.Split(response, response.Length / 3, 2 * response.Length / 3);
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += Read(response, request, segmented);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            total += Read(response, request, segmented);
        }

        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(before, after);
        Assert.Equal(1100 * 3, total);

        static int Read(byte[] response, byte[] request, in ReadOnlySequence<byte> segmented)
        {
            var ok = 0;
            ok += DuisHeaderReader.TryRead(response, out _) == DuisReadStatus.Ok ? 1 : 0;
            ok += DuisHeaderReader.TryRead(request, out _) == DuisReadStatus.Ok ? 1 : 0;
            ok += DuisHeaderReader.TryRead(segmented, out _) == DuisReadStatus.Ok ? 1 : 0;
            return ok;
        }
    }
}
