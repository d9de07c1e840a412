using System.Buffers;
using CapacitySim.Duis.Templates;

namespace CapacitySim.Load.Http;

/// <summary>A DUIS request rendered from a compiled template with its slots filled in, unsigned.</summary>
/// <param name="Template">The compiled request template.</param>
/// <param name="Slots">The RequestID and execution time for this request.</param>
public readonly record struct RequestTemplateBody(RequestTemplate Template, RequestSlots Slots) : IRequestBody
{
    /// <inheritdoc/>
    public int Write(IBufferWriter<byte> output) => Template.Render(Slots, output);
}
