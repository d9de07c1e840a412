using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Reading;

/// <summary>
/// Reads the routing and correlation fields of a DUIS Request or Response (any schema version) straight from
/// UTF-8 bytes, without allocating, and checks that the whole document is well-formed XML with namespaces.
/// Fields are taken only from their places in the outer message: <c>Root/Header/*</c> and
/// <c>Root/Body/&lt;body&gt;/*</c>, so the inner header of a SMETS1 signed response, GBCS payloads and any other
/// nested content never override them. Never throws on malformed input.
/// </summary>
public static class DuisHeaderReader
{
    /// <summary>Deepest element nesting accepted (the DUIS schema nests far less); deeper is <see cref="DuisReadStatus.TooDeep"/>.</summary>
    public const int MaxDepth = Utf8XmlTokenizer.MaxDepth;

    /// <summary>Most namespace declarations in scope at once.</summary>
    public const int MaxNamespaceDeclarations = Utf8XmlTokenizer.MaxBindings;

    /// <summary>Most attributes on one element.</summary>
    public const int MaxAttributes = Utf8XmlTokenizer.MaxAttributes;

    /// <summary>
    /// Reads a message held in a possibly multi-segment sequence (as a pipe delivers it). A multi-segment message
    /// is copied once into a buffer rented from <see cref="ArrayPool{T}.Shared"/> and returned after: the tokenizer
    /// keeps names and namespace prefixes as offsets into one contiguous buffer, which keeps it simple and fast, and
    /// copying a DUIS message of a few kilobytes costs far less than tokenizing across segment boundaries would add
    /// to every byte of every message. The rented buffer makes it allocation-free in steady state.
    /// </summary>
    public static DuisReadStatus TryRead(in ReadOnlySequence<byte> message, out DuisHeader header)
    {
        if (message.IsSingleSegment)
        {
            return TryRead(message.FirstSpan, out header);
        }

        var length = message.Length;
        if (length > Array.MaxLength)
        {
            header = default;
            header.ErrorOffset = Array.MaxLength;
            return DuisReadStatus.MessageTooLarge;
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            message.CopyTo(rented);
            return TryRead(rented.AsSpan(0, (int)length), out header);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads a message held in one contiguous buffer.</summary>
    public static DuisReadStatus TryRead(ReadOnlySpan<byte> message, out DuisHeader header)
    {
        header = default;
        var status = ReadCore(message, ref header, out var errorOffset);
        header.ErrorOffset = status == DuisReadStatus.Ok ? -1 : errorOffset;
        return status;
    }

    private static DuisReadStatus ReadCore(ReadOnlySpan<byte> message, ref DuisHeader header, out int errorOffset)
    {
        errorOffset = 0;
        var start = message.StartsWith("\uFEFF"u8) ? 3 : 0;
        if (message[start..].IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return DuisReadStatus.Empty;
        }

        // UTF-16 or UTF-32 text (a byte-order mark, or a zero byte beside the first '<').
        if (message.Length > 1 && (message[0] is 0 or 0xFE or 0xFF || message[1] == 0))
        {
            return DuisReadStatus.NotXml;
        }

        var check = Utf8XmlTokenizer.CheckCharacters(message, out errorOffset);
        if (check != DuisReadStatus.Ok)
        {
            return check;
        }

        // A DUIS-level problem is held until the end: a message that is not well-formed XML is reported as such
        // wherever its first DUIS problem stands, since the two call for different answers (HTTP 400 or a DUIS code).
        // The first problem is the one reported, but the other fields are still read: a DUIS error response echoes
        // the RequestID and names the Service Reference Variant, which may follow a bad field.
        var reader = new Utf8XmlTokenizer(message);
        var state = new HeaderState();
        state.Value.Reset();
        while (true)
        {
            switch (reader.Read())
            {
                case XmlToken.Error:
                    errorOffset = reader.ErrorOffset;
                    return reader.Error;

                case XmlToken.StartElement:
                {
                    // Nothing in a document that is not DUIS is a DUIS field.
                    if (state.Problem == DuisReadStatus.NotDuis)
                    {
                        break;
                    }

                    var status = OnStart(ref reader, ref state, ref header);
                    if (status != DuisReadStatus.Ok)
                    {
                        state.Problem = status;
                        state.ProblemOffset = reader.TokenOffset;
                    }

                    break;
                }

                case XmlToken.Text:
                case XmlToken.CData:
                    if (state.Capture != Field.None && reader.Depth == state.CaptureDepth)
                    {
                        if (reader.ValueHasReferences)
                        {
                            Utf8XmlTokenizer.Decode(reader.Value, ref state.Value);
                        }
                        else
                        {
                            state.Value.Append(reader.Value);
                        }
                    }

                    break;

                case XmlToken.EndElement:
                {
                    var depth = reader.Depth;
                    if (state.Capture != Field.None && depth == state.CaptureDepth)
                    {
                        var status = Complete(state.Capture, ref state.Value, ref header);
                        if (status != DuisReadStatus.Ok && state.Problem == DuisReadStatus.Ok)
                        {
                            state.Problem = status;
                            state.ProblemOffset = state.CaptureOffset;
                        }

                        state.Capture = Field.None;
                    }
                    else if (depth == 3 && state.Section == Section.Body)
                    {
                        state.InBodyElement = false;
                    }
                    else if (depth == 2)
                    {
                        state.Section = Section.None;
                    }

                    break;
                }

                case XmlToken.EndOfDocument:
                    if (state.Problem != DuisReadStatus.Ok)
                    {
                        errorOffset = state.ProblemOffset;
                        return state.Problem;
                    }

                    return CheckRequired(ref header, in state, out errorOffset);
            }
        }
    }

    private static DuisReadStatus OnStart(ref Utf8XmlTokenizer reader, ref HeaderState state, ref DuisHeader header)
    {
        if (state.Capture != Field.None)
        {
            // A header value is a simple type: an element inside it makes the value unusable.
            state.Value.Invalidate();
            return DuisReadStatus.Ok;
        }

        var depth = reader.Depth;
        var sug = reader.Namespace == XmlNs.ServiceUserGateway;
        var name = reader.LocalName;
        switch (depth)
        {
            case 1:
                state.RootOffset = reader.TokenOffset;
                if (sug && name.SequenceEqual("Request"u8))
                {
                    header.MessageKind = DuisMessageKind.Request;
                }
                else if (sug && name.SequenceEqual("Response"u8))
                {
                    header.MessageKind = DuisMessageKind.Response;
                }
                else
                {
                    return DuisReadStatus.NotDuis;
                }

                break;

            case 2:
                state.Section = Section.Other;
                if (sug && name.SequenceEqual("Header"u8))
                {
                    state.Section = Section.Header;
                    if (state.HeaderOffset < 0)
                    {
                        state.HeaderOffset = reader.TokenOffset;
                    }
                }
                else if (sug && name.SequenceEqual("Body"u8))
                {
                    state.Section = Section.Body;
                    if (state.BodyOffset < 0)
                    {
                        state.BodyOffset = reader.TokenOffset;
                    }
                }
                else if (reader.Namespace == XmlNs.XmlDsig && name.SequenceEqual("Signature"u8))
                {
                    header.Fields |= DuisHeaderFields.Signature;
                }

                break;

            case 3:
                if (state.Section == Section.Header && sug)
                {
                    BeginCapture(ref reader, ref state, header, HeaderField(name, header.MessageKind));
                }
                else if (state.Section == Section.Body && header.BodyKind == DuisBodyKind.None)
                {
                    header.BodyKind = header.MessageKind == DuisMessageKind.Request ? DuisBodyKind.Request : ResponseBodyKind(name, sug);
                    state.BodyElementOffset = reader.TokenOffset;
                    state.InBodyElement = true;
                }

                break;

            case 4:
                if (state.InBodyElement && sug)
                {
                    BeginCapture(ref reader, ref state, header, BodyField(name, header.BodyKind));
                }

                break;
        }

        return DuisReadStatus.Ok;
    }

    private static void BeginCapture(ref Utf8XmlTokenizer reader, ref HeaderState state, in DuisHeader header, Field field)
    {
        // The first occurrence wins, as an XPath single-node selection would.
        if (field == Field.None || (header.Fields & FlagOf(field)) != 0)
        {
            return;
        }

        state.Capture = field;
        state.CaptureDepth = reader.Depth;
        state.CaptureOffset = reader.TokenOffset;
        state.Value.Reset();
    }

    private static Field HeaderField(ReadOnlySpan<byte> name, DuisMessageKind kind)
    {
        if (name.SequenceEqual("RequestID"u8))
        {
            return Field.RequestId;
        }

        if (kind == DuisMessageKind.Request)
        {
            if (name.SequenceEqual("CommandVariant"u8))
            {
                return Field.CommandVariant;
            }

            if (name.SequenceEqual("ServiceReference"u8))
            {
                return Field.ServiceReference;
            }

            return name.SequenceEqual("ServiceReferenceVariant"u8) ? Field.ServiceReferenceVariant : Field.None;
        }

        if (name.SequenceEqual("ResponseID"u8))
        {
            return Field.ResponseId;
        }

        if (name.SequenceEqual("ResponseCode"u8))
        {
            return Field.ResponseCode;
        }

        return name.SequenceEqual("ResponseDateTime"u8) ? Field.ResponseDateTime : Field.None;
    }

    private static DuisBodyKind ResponseBodyKind(ReadOnlySpan<byte> name, bool sug)
    {
        if (!sug)
        {
            return DuisBodyKind.Other;
        }

        if (name.SequenceEqual("ResponseMessage"u8))
        {
            return DuisBodyKind.ResponseMessage;
        }

        if (name.SequenceEqual("DeviceAlertMessage"u8))
        {
            return DuisBodyKind.DeviceAlertMessage;
        }

        if (name.SequenceEqual("DCCAlertMessage"u8))
        {
            return DuisBodyKind.DccAlertMessage;
        }

        return name.SequenceEqual("SMETS1ResponseMessage"u8) ? DuisBodyKind.Smets1ResponseMessage : DuisBodyKind.Other;
    }

    private static Field BodyField(ReadOnlySpan<byte> name, DuisBodyKind body)
    {
        switch (body)
        {
            case DuisBodyKind.Request:
                // Future-dated requests carry their execution time first in the body element (FutureDatedAbstractType).
                return name.SequenceEqual("ExecutionDateTime"u8) ? Field.ExecutionDateTime : Field.None;
            case DuisBodyKind.ResponseMessage:
            case DuisBodyKind.Smets1ResponseMessage:
                if (name.SequenceEqual("ServiceReference"u8))
                {
                    return Field.ServiceReference;
                }

                if (name.SequenceEqual("ServiceReferenceVariant"u8))
                {
                    return Field.ServiceReferenceVariant;
                }

                break;
            case DuisBodyKind.DeviceAlertMessage:
                if (name.SequenceEqual("AlertCode"u8))
                {
                    return Field.DeviceAlertCode;
                }

                break;
            case DuisBodyKind.DccAlertMessage:
                if (name.SequenceEqual("DCCAlertCode"u8))
                {
                    return Field.DccAlertCode;
                }

                break;
            default:
                return Field.None;
        }

        if (body == DuisBodyKind.ResponseMessage)
        {
            return Field.None;
        }

        if (name.SequenceEqual("ThrottledAlertSequenceId"u8))
        {
            return Field.ThrottledAlertSequenceId;
        }

        return name.SequenceEqual("ThrottledAlertCount"u8) ? Field.ThrottledAlertCount : Field.None;
    }

    private static DuisHeaderFields FlagOf(Field field) => field switch
    {
        Field.RequestId => DuisHeaderFields.RequestId,
        Field.ResponseId => DuisHeaderFields.ResponseId,
        Field.CommandVariant => DuisHeaderFields.CommandVariant,
        Field.ServiceReference => DuisHeaderFields.ServiceReference,
        Field.ServiceReferenceVariant => DuisHeaderFields.ServiceReferenceVariant,
        Field.ResponseCode => DuisHeaderFields.ResponseCode,
        Field.ResponseDateTime => DuisHeaderFields.ResponseDateTime,
        Field.DeviceAlertCode => DuisHeaderFields.DeviceAlertCode,
        Field.DccAlertCode => DuisHeaderFields.DccAlertCode,
        Field.ThrottledAlertSequenceId => DuisHeaderFields.ThrottledAlertSequenceId,
        Field.ThrottledAlertCount => DuisHeaderFields.ThrottledAlertCount,
        Field.ExecutionDateTime => DuisHeaderFields.ExecutionDateTime,
        _ => DuisHeaderFields.None,
    };

    private static DuisReadStatus Complete(Field field, ref ValueAccumulator value, ref DuisHeader header)
    {
        var ok = !value.Overflowed;
        var bytes = value.Bytes;
        DuisReadStatus bad;
        switch (field)
        {
            case Field.RequestId:
            {
                ok &= RequestId.TryParse(bytes, out var v);
                header.RequestId = v;
                bad = DuisReadStatus.BadRequestId;
                break;
            }

            case Field.ResponseId:
            {
                ok &= ResponseId.TryParse(bytes, out var v);
                header.ResponseId = v;
                bad = DuisReadStatus.BadResponseId;
                break;
            }

            case Field.CommandVariant:
            {
                ok &= XsdValues.TryParseUnsignedInt(bytes, out var v) && v is >= 1 and <= 8;
                header.CommandVariant = ok ? (CommandVariant)v : CommandVariant.None;
                bad = DuisReadStatus.BadCommandVariant;
                break;
            }

            case Field.ServiceReference:
            {
                ok &= ServiceReference.TryParse(bytes, out var v);
                header.ServiceReference = v;
                bad = DuisReadStatus.BadServiceReference;
                break;
            }

            case Field.ServiceReferenceVariant:
            {
                ok &= ServiceReferenceVariant.TryParse(bytes, out var v);
                header.ServiceReferenceVariant = v;
                bad = DuisReadStatus.BadServiceReferenceVariant;
                break;
            }

            case Field.ResponseCode:
            {
                ok &= ResponseCode.TryParse(bytes, out var v);
                header.ResponseCode = v;
                bad = DuisReadStatus.BadResponseCode;
                break;
            }

            case Field.ResponseDateTime:
            {
                ok &= XsdValues.TryParseDateTime(bytes, out var v);
                header.ResponseDateTime = v;
                bad = DuisReadStatus.BadDateTime;
                break;
            }

            case Field.ExecutionDateTime:
            {
                ok &= XsdValues.TryParseDateTime(bytes, out var v);
                header.ExecutionDateTime = v;
                bad = DuisReadStatus.BadExecutionDateTime;
                break;
            }

            case Field.DeviceAlertCode:
            {
                ok &= DeviceAlertCode.TryParse(bytes, out var v);
                header.DeviceAlertCode = v;
                bad = DuisReadStatus.BadAlertCode;
                break;
            }

            case Field.DccAlertCode:
            {
                ok &= DccAlertCode.TryParse(bytes, out var v);
                header.DccAlertCode = v;
                bad = DuisReadStatus.BadAlertCode;
                break;
            }

            case Field.ThrottledAlertSequenceId:
            {
                ok &= XsdValues.TryParseUnsignedInt(bytes, out var v);
                header.ThrottledAlertSequenceId = v;
                bad = DuisReadStatus.BadThrottledAlertSequenceId;
                break;
            }

            default:
            {
                ok &= XsdValues.TryParseUnsignedInt(bytes, out var v);
                header.ThrottledAlertCount = v;
                bad = DuisReadStatus.BadThrottledAlertCount;
                break;
            }
        }

        if (!ok)
        {
            return bad;
        }

        header.Fields |= FlagOf(field);
        return DuisReadStatus.Ok;
    }

    private static DuisReadStatus CheckRequired(ref DuisHeader header, in HeaderState state, out int errorOffset)
    {
        var headerAt = state.HeaderOffset >= 0 ? state.HeaderOffset : state.RootOffset;
        errorOffset = headerAt;
        var fields = header.Fields;
        if (header.MessageKind == DuisMessageKind.Request)
        {
            if ((fields & DuisHeaderFields.RequestId) == 0)
            {
                return DuisReadStatus.MissingRequestId;
            }

            if ((fields & DuisHeaderFields.CommandVariant) == 0)
            {
                return DuisReadStatus.MissingCommandVariant;
            }

            if ((fields & DuisHeaderFields.ServiceReference) == 0)
            {
                return DuisReadStatus.MissingServiceReference;
            }

            if ((fields & DuisHeaderFields.ServiceReferenceVariant) == 0)
            {
                return DuisReadStatus.MissingServiceReferenceVariant;
            }
        }
        else
        {
            if ((fields & DuisHeaderFields.ResponseCode) == 0)
            {
                return DuisReadStatus.MissingResponseCode;
            }

            if ((fields & DuisHeaderFields.ResponseDateTime) == 0)
            {
                return DuisReadStatus.MissingResponseDateTime;
            }
        }

        if (header.BodyKind == DuisBodyKind.None)
        {
            errorOffset = state.BodyOffset >= 0 ? state.BodyOffset : state.RootOffset;
            return DuisReadStatus.MissingBody;
        }

        errorOffset = state.BodyElementOffset;
        if ((header.BodyKind == DuisBodyKind.DeviceAlertMessage && (fields & DuisHeaderFields.DeviceAlertCode) == 0)
            || (header.BodyKind == DuisBodyKind.DccAlertMessage && (fields & DuisHeaderFields.DccAlertCode) == 0))
        {
            return DuisReadStatus.MissingAlertCode;
        }

        errorOffset = -1;
        return DuisReadStatus.Ok;
    }

    private enum Field : byte
    {
        None = 0,
        RequestId,
        ResponseId,
        CommandVariant,
        ServiceReference,
        ServiceReferenceVariant,
        ResponseCode,
        ResponseDateTime,
        DeviceAlertCode,
        DccAlertCode,
        ThrottledAlertSequenceId,
        ThrottledAlertCount,
        ExecutionDateTime,
    }

    private enum Section : byte
    {
        None = 0,
        Header,
        Body,
        Other,
    }

    /// <summary>Where the reader is in the outer message, and the value being collected.</summary>
    private struct HeaderState
    {
        public ValueAccumulator Value;
        public DuisReadStatus Problem;
        public int ProblemOffset;
        public Field Capture;
        public int CaptureDepth;
        public int CaptureOffset;
        public Section Section;
        public bool InBodyElement;
        public int RootOffset;
        public int HeaderOffset;
        public int BodyOffset;
        public int BodyElementOffset;

        public HeaderState()
        {
            Value = default;
            HeaderOffset = -1;
            BodyOffset = -1;
            BodyElementOffset = -1;
        }
    }
}
