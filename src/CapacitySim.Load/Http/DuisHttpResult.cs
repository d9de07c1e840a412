namespace CapacitySim.Load.Http;

/// <summary>
/// How one request on a <see cref="DuisConnection"/> ended. The client reports failures as values, never as
/// exceptions, so that a load run counts them per code at full rate without paying for a throw.
/// </summary>
public enum DuisHttpResult
{
    /// <summary>A complete HTTP response arrived (any status) and was handed to the response handler.</summary>
    Ok,

    /// <summary>The TCP connection could not be opened (refused, unreachable, name not resolved).</summary>
    ConnectFailed,

    /// <summary>The TCP connection or TLS handshake did not complete within the connect time-out.</summary>
    ConnectTimedOut,

    /// <summary>The TLS handshake failed, for example because the server certificate was not accepted.</summary>
    TlsFailed,

    /// <summary>
    /// The request was not sent and answered within the response time-out. The connection is closed and the next
    /// request opens a new one, because a late response would otherwise be taken for the next request's.
    /// </summary>
    TimedOut,

    /// <summary>The server closed or reset the connection before the response was complete.</summary>
    ConnectionClosed,

    /// <summary>The response was not well-formed HTTP/1.1 (status line, headers or chunk framing).</summary>
    ProtocolError,

    /// <summary>The response head or body exceeded the configured limits.</summary>
    ResponseTooLarge,

    /// <summary>The caller's cancellation token ended the request; the connection is closed.</summary>
    Canceled,
}
