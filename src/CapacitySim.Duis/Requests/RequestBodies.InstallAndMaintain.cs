namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service reference 8.x: installation, commissioning, inventory, joining and the hub's device log. The example home
    // has the meters, hub, gas proxy, PPMID and IHD of RequestBodies.ExampleDeviceId; 00-DB-12-34-56-7A-00-F3 and
    // 00-DB-12-34-56-7A-00-F4 are the hub and gas proxy that a replacement hub took over from.
    private static RequestBodyInfo[] InstallAndMaintain() =>
    [
        Critical("8.1.1", DeviceType.ElectricityMeter, """
            <sr:CommissionDeviceSynchroniseClock>
              <sr:CurrentDateTime>2026-11-22T10:42:00Z</sr:CurrentDateTime>
              <sr:TolerancePeriod>60</sr:TolerancePeriod>
            </sr:CommissionDeviceSynchroniseClock>
            """),
        NonDevice("8.2", """
            <sr:ReadInventory>
              <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
            </sr:ReadInventory>
            """),
        NonDevice("8.3", """
            <sr:DecommissionDevice>
              <sr:DeviceID>00-DB-12-34-56-78-90-9C</sr:DeviceID>
            </sr:DecommissionDevice>
            """),
        NonDevice("8.4", """
            <sr:UpdateInventory>
              <sr:DeviceID>00-DB-12-34-56-78-90-A4</sr:DeviceID>
              <sr:UpdateDeviceStatusExceptCH>InstalledNotCommissioned</sr:UpdateDeviceStatusExceptCH>
            </sr:UpdateInventory>
            """),
        // A non-domestic customer leaves DCC service: the access control broker's key agreement certificate on the
        // meter is replaced on the (mandatory) execution date, years ahead so that the DCC, which refuses an execution
        // time already past, accepts this example for as long as it is in use.
        Device("8.5", DeviceType.ElectricityMeter, $$"""
            <sr:ServiceOptOut>
              <sr:ExecutionDateTime>2036-01-07T00:00:00Z</sr:ExecutionDateTime>
              <sr:ACBFloorSeqNumber>0</sr:ACBFloorSeqNumber>
              <sr:ReplacementCertificates>
                <sr:KeyAgreementCertificate>{{AccessControlBrokerKeyAgreementCertificate}}</sr:KeyAgreementCertificate>
              </sr:ReplacementCertificates>
              <sr:CertificationPathCertificates>
                <sr:Certificate>{{IssuingCaCertificate}}</sr:Certificate>
              </sr:CertificationPathCertificates>
              <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
            </sr:ServiceOptOut>
            """),
        NonDevice("8.6", """
            <sr:ServiceOptIn>
              <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
              <sr:DeviceType>ESME</sr:DeviceType>
              <sr:MPxNs>
                <sr:ImportMPxN>1200051234562</sr:ImportMPxN>
              </sr:MPxNs>
              <sr:OptInDate>2026-12-01</sr:OptInDate>
            </sr:ServiceOptIn>
            """),
        // Critical joins give a device control of the meter (a PPMID for prepayment); non-critical ones only let it read
        // (an IHD).
        Critical("8.7.1", DeviceType.ElectricityMeter, """
            <sr:JoinServiceCritical>
              <sr:OtherDeviceID>00-DB-12-34-56-78-90-A4</sr:OtherDeviceID>
            </sr:JoinServiceCritical>
            """),
        Device("8.7.2", DeviceType.ElectricityMeter, """
            <sr:JoinServiceNonCritical>
              <sr:OtherDeviceID>00-DB-12-34-56-78-90-9C</sr:OtherDeviceID>
            </sr:JoinServiceNonCritical>
            """),
        Critical("8.8.1", DeviceType.ElectricityMeter, """
            <sr:UnjoinServiceCritical>
              <sr:OtherDeviceID>00-DB-12-34-56-78-90-A4</sr:OtherDeviceID>
            </sr:UnjoinServiceCritical>
            """),
        Device("8.8.2", DeviceType.ElectricityMeter, """
            <sr:UnjoinServiceNonCritical>
              <sr:OtherDeviceID>00-DB-12-34-56-78-90-9C</sr:OtherDeviceID>
            </sr:UnjoinServiceNonCritical>
            """),
        Device("8.9", DeviceType.CommunicationsHub, """
            <sr:ReadDeviceLog></sr:ReadDeviceLog>
            """),
        // Whitelist a new IHD on the hub for an hour with its 16-byte install code.
        Device("8.11", DeviceType.CommunicationsHub, """
            <sr:UpdateHANDeviceLog>
              <sr:DeviceID>00-DB-12-34-56-78-90-9C</sr:DeviceID>
              <sr:RequestType>Add</sr:RequestType>
              <sr:AddDeviceToCHFWhitelist>
                <sr:JoinTimePeriod>3600</sr:JoinTimePeriod>
                <sr:InstallCode>83FE3A1C52B96D0477E1A9C0F25D6B38</sr:InstallCode>
              </sr:AddDeviceToCHFWhitelist>
            </sr:UpdateHANDeviceLog>
            """),
        Device("8.12.1", DeviceType.CommunicationsHub, """
            <sr:RestoreHANDeviceLog>
              <sr:OldCHFID>00-DB-12-34-56-7A-00-F3</sr:OldCHFID>
            </sr:RestoreHANDeviceLog>
            """),
        Device("8.12.2", DeviceType.GasProxy, """
            <sr:RestoreGPFDeviceLog>
              <sr:OldGPFID>00-DB-12-34-56-7A-00-F4</sr:OldGPFID>
            </sr:RestoreGPFDeviceLog>
            """),
        // An installer's hand-held device returns the meter's response to a command delivered locally (CV 2).
        NonDevice("8.13", """
            <sr:ReturnLocalCommandResponse>
              <sr:OriginalRequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1795336920000</sr:OriginalRequestID>
              <sr:DeviceGBCSResponse>3wlPQ4yFPgDlLCqdGH4lsxy9OWQSD8gjNkULjJUJNoKpLNVX7iDFRsS2sRiFz8WudWdcmLmiJa/1J+t8lR7xBg==</sr:DeviceGBCSResponse>
            </sr:ReturnLocalCommandResponse>
            """),
        NonDevice("8.14.1", """
            <sr:CHFInstallSuccessSMWAN>
              <sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID>
              <sr:CHFInstallType>New CHF Install</sr:CHFInstallType>
              <sr:InstallDateTime>2026-11-22T10:30:00Z</sr:InstallDateTime>
              <sr:MPxN>1200051234562</sr:MPxN>
              <sr:AerialInstall>false</sr:AerialInstall>
              <sr:CHFLocation>Indoors on external wall</sr:CHFLocation>
            </sr:CHFInstallSuccessSMWAN>
            """),
        NonDevice("8.14.2", """
            <sr:CHFInstallSuccessNoSMWAN>
              <sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID>
              <sr:CHFInstallType>CHF Install - no SM WAN</sr:CHFInstallType>
              <sr:MPxN>1200051234562</sr:MPxN>
              <sr:AerialInstall>true</sr:AerialInstall>
              <sr:CHFLocation>Deep indoors</sr:CHFLocation>
              <sr:PremiseType>Terraced</sr:PremiseType>
              <sr:MetalObstructionCheck>true</sr:MetalObstructionCheck>
              <sr:ConnectivityObstructionCheck>false</sr:ConnectivityObstructionCheck>
              <sr:SharedObstructionCheck>false</sr:SharedObstructionCheck>
            </sr:CHFInstallSuccessNoSMWAN>
            """),
        NonDevice("8.14.3", """
            <sr:CHFFaultReturn>
              <sr:DeviceID>00-DB-12-34-56-7A-00-F3</sr:DeviceID>
              <sr:CHFFaultReturnType>Fault identified post installation</sr:CHFFaultReturnType>
              <sr:OtherDeviceID>00-DB-12-34-56-78-90-A0</sr:OtherDeviceID>
              <sr:CHFConnectionMethod>Hot-shoe</sr:CHFConnectionMethod>
              <sr:CHFFaultReason>SM WAN Fault</sr:CHFFaultReason>
            </sr:CHFFaultReturn>
            """),
        NonDevice("8.14.4", """
            <sr:CHFNoFaultReturn>
              <sr:DeviceID>00-DB-12-34-56-7A-00-F3</sr:DeviceID>
              <sr:CHFNoFaultReturnType>No Fault Return (general)</sr:CHFNoFaultReturnType>
            </sr:CHFNoFaultReturn>
            """),
    ];
}
