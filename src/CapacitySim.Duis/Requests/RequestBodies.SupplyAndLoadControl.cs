namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service reference 7.x: supply control, auxiliary load control switches (ALCS/HCALCS) and auxiliary proportional
    // controllers (APC), all commanded through the electricity meter. Switch 1 is the storage heater circuit, switch 2
    // the immersion heater, auxiliary controller 1 an EV charger.
    private static RequestBodyInfo[] SupplyAndLoadControl() =>
    [
        Critical("7.1", DeviceType.ElectricityMeter, """
            <sr:EnableSupply></sr:EnableSupply>
            """),
        Critical("7.2", DeviceType.ElectricityMeter, """
            <sr:DisableSupply></sr:DisableSupply>
            """),
        Critical("7.3", DeviceType.ElectricityMeter, """
            <sr:ArmSupply></sr:ArmSupply>
            """),
        Device("7.4", DeviceType.ElectricityMeter, """
            <sr:ReadSupplyStatus></sr:ReadSupplyStatus>
            """),
        // Immersion heater boost for an hour (duration in minutes).
        Critical("7.5", DeviceType.ElectricityMeter, """
            <sr:ActivateAuxiliaryLoad>
              <sr:ActivateALCSHCALCS index="2">
                <sr:Duration>60</sr:Duration>
              </sr:ActivateALCSHCALCS>
            </sr:ActivateAuxiliaryLoad>
            """),
        Critical("7.6", DeviceType.ElectricityMeter, """
            <sr:DeactivateAuxiliaryLoad>
              <sr:DeactivateALCSHCALCS index="1">
                <sr:Duration>120</sr:Duration>
              </sr:DeactivateALCSHCALCS>
            </sr:DeactivateAuxiliaryLoad>
            """),
        Device("7.7", DeviceType.ElectricityMeter, """
            <sr:ReadALCSData></sr:ReadALCSData>
            """),
        Critical("7.8", DeviceType.ElectricityMeter, """
            <sr:ResetAuxiliaryLoad>
              <sr:ResetALCSHCALCS index="2"></sr:ResetALCSHCALCS>
            </sr:ResetAuxiliaryLoad>
            """),
        // The immersion heater (switch 2) follows the boost button; the other switches do not.
        Device("7.9", DeviceType.ElectricityMeter, """
            <sr:AddAuxiliaryLoadToBoostButton>
              <sr:AddToBoostButton index="1">false</sr:AddToBoostButton>
              <sr:AddToBoostButton index="2">true</sr:AddToBoostButton>
              <sr:AddToBoostButton index="3">false</sr:AddToBoostButton>
              <sr:AddToBoostButton index="4">false</sr:AddToBoostButton>
              <sr:AddToBoostButton index="5">false</sr:AddToBoostButton>
            </sr:AddAuxiliaryLoadToBoostButton>
            """),
        Device("7.10", DeviceType.ElectricityMeter, """
            <sr:RemoveAuxiliaryLoadFromBoostButton>
              <sr:RemoveFromBoostButton index="1">false</sr:RemoveFromBoostButton>
              <sr:RemoveFromBoostButton index="2">true</sr:RemoveFromBoostButton>
              <sr:RemoveFromBoostButton index="3">false</sr:RemoveFromBoostButton>
              <sr:RemoveFromBoostButton index="4">false</sr:RemoveFromBoostButton>
              <sr:RemoveFromBoostButton index="5">false</sr:RemoveFromBoostButton>
            </sr:RemoveAuxiliaryLoadFromBoostButton>
            """),
        Device("7.11", DeviceType.ElectricityMeter, """
            <sr:ReadBoostButtonDetails>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadBoostButtonDetails>
            """),
        // Switching spread over up to 15 minutes (seconds) so that a network's load does not step all at once.
        Critical("7.12", DeviceType.ElectricityMeter, """
            <sr:SetRandomisedOffsetLimit>
              <sr:RandomisedOffsetLimit>900</sr:RandomisedOffsetLimit>
            </sr:SetRandomisedOffsetLimit>
            """),
        Critical("7.13", DeviceType.ElectricityMeter, """
            <sr:SetAuxiliaryControllerState auxiliaryControllerN="1">
              <sr:StartDateTime>2026-11-23T16:00:00Z</sr:StartDateTime>
              <sr:EndDateTime>2026-11-23T19:00:00Z</sr:EndDateTime>
              <sr:CommandedStateLevel>40</sr:CommandedStateLevel>
            </sr:SetAuxiliaryControllerState>
            """),
        Device("7.14", DeviceType.ElectricityMeter, """
            <sr:ReadAuxiliaryControllerConfigurationData></sr:ReadAuxiliaryControllerConfigurationData>
            """),
        Device("7.15", DeviceType.ElectricityMeter, """
            <sr:ReadAuxiliaryControllerOperationalData></sr:ReadAuxiliaryControllerOperationalData>
            """),
        Critical("7.16", DeviceType.ElectricityMeter, """
            <sr:LimitAPCLevel auxiliaryControllerN="1">
              <sr:StartDateTime>2026-11-23T17:00:00Z</sr:StartDateTime>
              <sr:EndDateTime>2026-11-23T18:30:00Z</sr:EndDateTime>
              <sr:CommandedStateLevel>0</sr:CommandedStateLevel>
            </sr:LimitAPCLevel>
            """),
    ];
}
