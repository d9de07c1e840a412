namespace CapacitySim.Load.Http;

/// <summary>How the length of a response body was delimited on the wire.</summary>
public enum ResponseBodyFraming
{
    /// <summary>No body by definition (1xx, 204, 304).</summary>
    None,

    /// <summary>A Content-Length header gave the length.</summary>
    ContentLength,

    /// <summary>Transfer-Encoding: chunked.</summary>
    Chunked,

    /// <summary>Neither: the body runs until the server closes the connection.</summary>
    UntilClose,
}
