using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Devices.Behaviour;

/// <summary>What a <see cref="DeviceEvent"/> is.</summary>
public enum DeviceEventKind : byte
{
    /// <summary>Unset.</summary>
    None = 0,

    /// <summary>A device raises the GBCS alert <see cref="DeviceEvent.AlertCode"/>.</summary>
    DeviceAlert,

    /// <summary>The DCC raises the DCC alert <see cref="DeviceEvent.DccAlertCode"/> about the device (PowerOutageEvent: the hub).</summary>
    DccAlert,

    /// <summary>A communications hub reboots.</summary>
    HubReboot,

    /// <summary>A device (the PPMID after a hub reboot) leaves the HAN.</summary>
    HanLeave,

    /// <summary>A device joins the HAN again.</summary>
    HanJoin,

    /// <summary>A premises loses supply (the device is its ESME).</summary>
    SupplyLost,

    /// <summary>Supply returns to a premises (the device is its ESME); <see cref="DeviceEvent.Since"/> is when it was lost.</summary>
    SupplyRestored,

    /// <summary>A device's firmware changes to <see cref="DeviceEvent.Firmware"/>.</summary>
    FirmwareChange,
}

/// <summary>
/// One event of the estate's background behaviour, produced in time order by <see cref="EventGenerator"/>. A plain
/// struct: the DCC turns alerts into DUIS messages, the estate applies state changes.
/// </summary>
/// <param name="Time">Scenario time of the event.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Device">Index of the device in the estate.</param>
/// <param name="Premises">Index of the device's premises.</param>
/// <param name="AlertCode">The GBCS alert code (<see cref="DeviceEventKind.DeviceAlert"/>).</param>
/// <param name="DccAlertCode">The DCC alert code (<see cref="DeviceEventKind.DccAlert"/>).</param>
/// <param name="Firmware">The new firmware id (<see cref="DeviceEventKind.FirmwareChange"/>).</param>
/// <param name="Since">When supply was lost, for events of a power restore (the PowerOutageEvent start time); otherwise default.</param>
public readonly record struct DeviceEvent(
    DateTimeOffset Time,
    DeviceEventKind Kind,
    int Device,
    int Premises,
    DeviceAlertCode AlertCode,
    DccAlertCode DccAlertCode,
    ushort Firmware,
    DateTimeOffset Since);
