namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service reference 6.x: device configuration, security credentials and the hub's sub-GHz radio. Values are those a
    // supplier or network operator would set on a single-phase domestic meter on a 230 V supply: voltage thresholds
    // around the statutory +10 %/-6 % limits, a 100 A load limit, an MPAN whose check digit is right. Reads and
    // credentials that apply to every device type with security credentials name AnyHanDevice; the example
    // addresses the electricity meter.
    private static RequestBodyInfo[] Configuration() =>
    [
        Device("6.2.1", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationVoltage></sr:ReadDeviceConfigurationVoltage>
            """),
        Device("6.2.2", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationRandomisation></sr:ReadDeviceConfigurationRandomisation>
            """),
        Device("6.2.3", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationBillingCalendar></sr:ReadDeviceConfigurationBillingCalendar>
            """),
        Device("6.2.4", DeviceType.AnyHanDevice, """
            <sr:ReadDeviceConfigurationIdentityExcMPxN></sr:ReadDeviceConfigurationIdentityExcMPxN>
            """),
        Device("6.2.5", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationInstantaneousPowerThresholds></sr:ReadDeviceConfigurationInstantaneousPowerThresholds>
            """),
        Device("6.2.7", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationMPxN></sr:ReadDeviceConfigurationMPxN>
            """),
        Device("6.2.8", DeviceType.GasMeter, """
            <sr:ReadDeviceConfigurationGas></sr:ReadDeviceConfigurationGas>
            """),
        Device("6.2.9", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationPaymentMode></sr:ReadDeviceConfigurationPaymentMode>
            """),
        Device("6.2.10", DeviceType.ElectricityMeter, """
            <sr:ReadDeviceConfigurationEventAndAlertBehaviours></sr:ReadDeviceConfigurationEventAndAlertBehaviours>
            """),
        // Load limiting at 23 kW (100 A at 230 V) over 5 minutes, restored after 10 minutes, without disabling supply.
        Critical("6.4.1", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationLoadLimitingGeneralSettings>
              <sr:LoadLimitPeriod>300</sr:LoadLimitPeriod>
              <sr:LoadLimitPowerThreshold>23000</sr:LoadLimitPowerThreshold>
              <sr:LoadLimitRestorationPeriod>600</sr:LoadLimitRestorationPeriod>
              <sr:LoadLimitSupplyState>Unchanged</sr:LoadLimitSupplyState>
            </sr:UpdateDeviceConfigurationLoadLimitingGeneralSettings>
            """),
        Device("6.4.2", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationLoadLimitingCounterReset></sr:UpdateDeviceConfigurationLoadLimitingCounterReset>
            """),
        Device("6.5", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationVoltage>
              <sr:RMSVoltageSettings>
                <sr:RMSExtremeOverVoltageMeasurementPeriod>10</sr:RMSExtremeOverVoltageMeasurementPeriod>
                <sr:RMSExtremeOverVoltageThreshold>2760</sr:RMSExtremeOverVoltageThreshold>
                <sr:RMSExtremeUnderVoltageMeasurementPeriod>10</sr:RMSExtremeUnderVoltageMeasurementPeriod>
                <sr:RMSExtremeUnderVoltageThreshold>1840</sr:RMSExtremeUnderVoltageThreshold>
                <sr:RMSVoltageSagMeasurementPeriod>10</sr:RMSVoltageSagMeasurementPeriod>
                <sr:RMSVoltageSagThreshold>2070</sr:RMSVoltageSagThreshold>
                <sr:RMSVoltageSwellMeasurementPeriod>10</sr:RMSVoltageSwellMeasurementPeriod>
                <sr:RMSVoltageSwellThreshold>2550</sr:RMSVoltageSwellThreshold>
              </sr:RMSVoltageSettings>
              <sr:SinglePhaseVoltageSettings>
                <sr:AverageRMSOverVoltageThreshold>2530</sr:AverageRMSOverVoltageThreshold>
                <sr:AverageRMSUnderVoltageThreshold>2162</sr:AverageRMSUnderVoltageThreshold>
                <sr:AverageRMSVoltageMeasurementPeriod>600</sr:AverageRMSVoltageMeasurementPeriod>
              </sr:SinglePhaseVoltageSettings>
            </sr:UpdateDeviceConfigurationVoltage>
            """),
        // Calorific value 39.4 MJ/m3 and the standard volume conversion factor 1.02264.
        Critical("6.6", DeviceType.GasMeter, """
            <sr:UpdateDeviceConfigurationGasConversion>
              <sr:CalorificValue>39.4</sr:CalorificValue>
              <sr:ConversionFactor>1.02264</sr:ConversionFactor>
            </sr:UpdateDeviceConfigurationGasConversion>
            """),
        Critical("6.7", DeviceType.GasMeter, """
            <sr:UpdateDeviceConfigurationGasFlow>
              <sr:UncontrolledGasFlowRate>6000</sr:UncontrolledGasFlowRate>
              <sr:SupplyDepletionState>Unchanged</sr:SupplyDepletionState>
              <sr:SupplyTamperState>Unchanged</sr:SupplyTamperState>
              <sr:StabilisationPeriod>30</sr:StabilisationPeriod>
              <sr:MeasurementPeriod>600</sr:MeasurementPeriod>
            </sr:UpdateDeviceConfigurationGasFlow>
            """),
        Critical("6.8", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationBillingCalendar>
              <sr:ElectricityBillingCalendar>
                <sr:BillingTime>00:00:00Z</sr:BillingTime>
                <sr:Monthly>1</sr:Monthly>
              </sr:ElectricityBillingCalendar>
            </sr:UpdateDeviceConfigurationBillingCalendar>
            """),
        Critical("6.11", DeviceType.ElectricityMeter, """
            <sr:SynchroniseClock>
              <sr:CurrentDateTime>2026-11-22T09:15:00Z</sr:CurrentDateTime>
              <sr:TolerancePeriod>30</sr:TolerancePeriod>
            </sr:SynchroniseClock>
            """),
        // Low/medium at 1.5 kW and medium/high at 3 kW, the bands an IHD colours its consumption by.
        Device("6.12", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationInstantaneousPowerThreshold>
              <sr:LowMediumPowerThreshold>1500</sr:LowMediumPowerThreshold>
              <sr:MediumHighPowerThreshold>3000</sr:MediumHighPowerThreshold>
            </sr:UpdateDeviceConfigurationInstantaneousPowerThreshold>
            """),
        Device("6.13", DeviceType.AnyHanDevice, """
            <sr:ReadEventOrSecurityLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
              <sr:LogToRead>Event</sr:LogToRead>
            </sr:ReadEventOrSecurityLog>
            """),
        Critical("6.14.1", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationALCDescriptions>
              <sr:ALCSHCALCSDescription index="1">
                <sr:SwitchDescription>Storage heaters</sr:SwitchDescription>
              </sr:ALCSHCALCSDescription>
              <sr:ALCSHCALCSDescription index="2">
                <sr:SwitchDescription>Immersion heater</sr:SwitchDescription>
              </sr:ALCSHCALCSDescription>
            </sr:UpdateDeviceConfigurationALCDescriptions>
            """),
        // Storage heaters on switch 1 charge through the night: on at 00:30, off at 07:30, every day.
        Critical("6.14.2", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationALCScheduler>
              <sr:ALCSHCALCSConnectionSchedule>
                <sr:ActivateDeactivateSwitch index="1"><sr:ActivateSwitch></sr:ActivateSwitch></sr:ActivateDeactivateSwitch>
                <sr:ALCSScheduleDatesAndTime>
                  <sr:SwitchTime>00:30:00Z</sr:SwitchTime>
                  <sr:StartDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:StartDate>
                  <sr:EndDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:EndDate>
                </sr:ALCSScheduleDatesAndTime>
              </sr:ALCSHCALCSConnectionSchedule>
              <sr:ALCSHCALCSConnectionSchedule>
                <sr:ActivateDeactivateSwitch index="1"><sr:DeactivateSwitch></sr:DeactivateSwitch></sr:ActivateDeactivateSwitch>
                <sr:ALCSScheduleDatesAndTime>
                  <sr:SwitchTime>07:30:00Z</sr:SwitchTime>
                  <sr:StartDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:StartDate>
                  <sr:EndDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:EndDate>
                </sr:ALCSScheduleDatesAndTime>
              </sr:ALCSHCALCSConnectionSchedule>
              <sr:ALCSHCALCSSpecialDays></sr:ALCSHCALCSSpecialDays>
            </sr:UpdateDeviceConfigurationALCScheduler>
            """),
        // An EV charger on auxiliary controller 1 limited to 50 % over the weekday evening peak, back to 100 % at 20:00.
        Critical("6.14.3", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationAuxiliaryControllerScheduler>
              <sr:AuxiliaryControllerSchedule>
                <sr:AuxiliaryControllerAction auxiliaryControllerN="1"><sr:CommandedStateLevel>50</sr:CommandedStateLevel></sr:AuxiliaryControllerAction>
                <sr:DaysOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Monday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Tuesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Wednesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Thursday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Friday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                </sr:DaysOfWeekApplicability>
                <sr:AuxiliaryControllerSchedulePeriodAndTime>
                  <sr:SwitchTime>16:00:00Z</sr:SwitchTime>
                  <sr:StartDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:StartDate>
                  <sr:EndDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:EndDate>
                </sr:AuxiliaryControllerSchedulePeriodAndTime>
              </sr:AuxiliaryControllerSchedule>
              <sr:AuxiliaryControllerSchedule>
                <sr:AuxiliaryControllerAction auxiliaryControllerN="1"><sr:CommandedStateLevel>100</sr:CommandedStateLevel></sr:AuxiliaryControllerAction>
                <sr:DaysOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Monday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Tuesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Wednesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Thursday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                  <sr:DayOfWeekApplicability><sr:DayOfWeekID>Friday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                </sr:DaysOfWeekApplicability>
                <sr:AuxiliaryControllerSchedulePeriodAndTime>
                  <sr:SwitchTime>20:00:00Z</sr:SwitchTime>
                  <sr:StartDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:StartDate>
                  <sr:EndDate>
                    <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                    <sr:Month><sr:NonSpecifiedMonth></sr:NonSpecifiedMonth></sr:Month>
                    <sr:DayOfMonth><sr:NonSpecifiedDayOfMonth></sr:NonSpecifiedDayOfMonth></sr:DayOfMonth>
                    <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                  </sr:EndDate>
                </sr:AuxiliaryControllerSchedulePeriodAndTime>
              </sr:AuxiliaryControllerSchedule>
              <sr:AuxiliaryControllerSpecialDayDefinitions></sr:AuxiliaryControllerSpecialDayDefinitions>
            </sr:UpdateDeviceConfigurationAuxiliaryControllerScheduler>
            """),
        // The network operator replaces its certificates on the meter (key rollover).
        Critical("6.15.1", DeviceType.ElectricityMeter, $$"""
            <sr:UpdateSecurityCredentialsKRP>
              <sr:RemotePartyRole>NetworkOperator</sr:RemotePartyRole>
              <sr:RemotePartyFloorSeqNumber>0</sr:RemotePartyFloorSeqNumber>
              <sr:ReplacementCertificates>
                <sr:SupplierOrNetworkOperatorCertificates>
                  <sr:DigitalSigningCertificate>{{NetworkOperatorSigningCertificate}}</sr:DigitalSigningCertificate>
                  <sr:KeyAgreementCertificate>{{NetworkOperatorKeyAgreementCertificate}}</sr:KeyAgreementCertificate>
                </sr:SupplierOrNetworkOperatorCertificates>
              </sr:ReplacementCertificates>
              <sr:CertificationPathCertificates>
                <sr:Certificate>{{IssuingCaCertificate}}</sr:Certificate>
              </sr:CertificationPathCertificates>
              <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
            </sr:UpdateSecurityCredentialsKRP>
            """),
        // Places the device certificate the CA issued after 6.17 (digital signing key) on the meter.
        Critical("6.15.2", DeviceType.ElectricityMeter, $$"""
            <sr:UpdateSecurityCredentialsDevice>
              <sr:DeviceCertificate>{{DeviceSigningCertificate}}</sr:DeviceCertificate>
            </sr:UpdateSecurityCredentialsDevice>
            """),
        Critical("6.17", DeviceType.ElectricityMeter, """
            <sr:IssueSecurityCredentials>
              <sr:CredentialType>Digital Signature</sr:CredentialType>
            </sr:IssueSecurityCredentials>
            """),
        // Maximum demand over the evening peak, 16:00 to 19:00.
        Device("6.18.1", DeviceType.ElectricityMeter, """
            <sr:SetMaximumDemandConfigurableTimePeriod>
              <sr:MaximumDemandTimePeriodSchedule>
                <sr:StartTime>16:00:00Z</sr:StartTime>
                <sr:EndTime>19:00:00Z</sr:EndTime>
              </sr:MaximumDemandTimePeriodSchedule>
            </sr:SetMaximumDemandConfigurableTimePeriod>
            """),
        Device("6.18.2", DeviceType.ElectricityMeter, """
            <sr:ResetMaximumDemandRegisters>
              <sr:MaxDemandActivePowerImportValue></sr:MaxDemandActivePowerImportValue>
              <sr:MaxDemandConfigTimeActivePowerImportValue></sr:MaxDemandConfigTimeActivePowerImportValue>
            </sr:ResetMaximumDemandRegisters>
            """),
        Device("6.20.1", DeviceType.ElectricityMeter, """
            <sr:SetDeviceConfigurationImportMPxN>
              <sr:ImportMPANs>
                <sr:ImportMPAN>1200051234562</sr:ImportMPAN>
              </sr:ImportMPANs>
            </sr:SetDeviceConfigurationImportMPxN>
            """),
        Device("6.20.2", DeviceType.ElectricityMeter, """
            <sr:SetDeviceConfigurationExportMPAN>
              <sr:ExportMPAN>1200059876540</sr:ExportMPAN>
            </sr:SetDeviceConfigurationExportMPAN>
            """),
        Device("6.21", DeviceType.ElectricityMeter, $$"""
            <sr:RequestHandoverOfDCCControlledDevice>
              <sr:RemotePartyRole>Supplier</sr:RemotePartyRole>
              <sr:RemotePartyFloorSeqNumber>0</sr:RemotePartyFloorSeqNumber>
              <sr:ReplacementCertificates>
                <sr:DigitalSigningCertificate>{{SupplierSigningCertificate}}</sr:DigitalSigningCertificate>
                <sr:KeyAgreementCertificate>{{SupplierKeyAgreementCertificate}}</sr:KeyAgreementCertificate>
              </sr:ReplacementCertificates>
              <sr:CertificationPathCertificates>
                <sr:Certificate>{{IssuingCaCertificate}}</sr:Certificate>
              </sr:CertificationPathCertificates>
              <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
            </sr:RequestHandoverOfDCCControlledDevice>
            """),
        // Enable the supply outage and low battery alerts the supplier wants from the meter.
        Device("6.22", DeviceType.ElectricityMeter, """
            <sr:ConfigureAlertBehaviour>
              <sr:ElectricitySupplierAlerts>
                <sr:SupplierESMECommon>
                  <sr:x810D>Enable</sr:x810D>
                  <sr:x8119>Enable</sr:x8119>
                </sr:SupplierESMECommon>
              </sr:ElectricitySupplierAlerts>
            </sr:ConfigureAlertBehaviour>
            """),
        // Change of supplier: the incoming supplier's certificates replace the outgoing one's.
        Device("6.23", DeviceType.ElectricityMeter, $$"""
            <sr:UpdateSecurityCredentialsCoS>
              <sr:SupplierFloorSeqNumber>0</sr:SupplierFloorSeqNumber>
              <sr:SupplierPrepaymentTopUpFloorSeqNumber>0</sr:SupplierPrepaymentTopUpFloorSeqNumber>
              <sr:SupplierReplacementCertificates>
                <sr:DigitalSigningCertificate>{{SupplierSigningCertificate}}</sr:DigitalSigningCertificate>
                <sr:KeyAgreementCertificate>{{SupplierKeyAgreementCertificate}}</sr:KeyAgreementCertificate>
                <sr:KeyAgreementTopUpCertificate>{{SupplierTopUpCertificate}}</sr:KeyAgreementTopUpCertificate>
              </sr:SupplierReplacementCertificates>
              <sr:CertificationPathCertificates>
                <sr:Certificate>{{IssuingCaCertificate}}</sr:Certificate>
              </sr:CertificationPathCertificates>
              <sr:ApplyTimeBasedCPVChecks>true</sr:ApplyTimeBasedCPVChecks>
              <sr:ImportMPxN>1200051234562</sr:ImportMPxN>
            </sr:UpdateSecurityCredentialsCoS>
            """),
        Device("6.24.1", DeviceType.ElectricityMeter, """
            <sr:RetrieveDeviceSecurityCredentialsKRP>
              <sr:RemotePartyRole>Supplier</sr:RemotePartyRole>
              <sr:RemotePartyRole>NetworkOperator</sr:RemotePartyRole>
            </sr:RetrieveDeviceSecurityCredentialsKRP>
            """),
        Critical("6.24.2", DeviceType.ElectricityMeter, """
            <sr:RetrieveDeviceSecurityCredentialsDevice>
              <sr:CredentialType>Key Agreement</sr:CredentialType>
            </sr:RetrieveDeviceSecurityCredentialsDevice>
            """),
        Critical("6.25", DeviceType.ElectricityMeter, """
            <sr:SetElectricitySupplyTamperState>
              <sr:SupplyTamperState>Locked</sr:SupplyTamperState>
            </sr:SetElectricitySupplyTamperState>
            """),
        Critical("6.26", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix>
              <sr:DailyTariffBlockCounterMatrixReset>false</sr:DailyTariffBlockCounterMatrixReset>
            </sr:UpdateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix>
            """),
        Device("6.27", DeviceType.ElectricityMeter, """
            <sr:UpdateDeviceConfigurationRMSVoltageCounterReset></sr:UpdateDeviceConfigurationRMSVoltageCounterReset>
            """),
        // A hub limited to the lower-band channels 3 to 12, with duty cycle thresholds at the regulatory 1 % / 2 % marks.
        Device("6.28", DeviceType.CommunicationsHub, """
            <sr:SetCHFSubGHzConfiguration>
              <sr:LowerBandSubGHzChannels0To26>
                <sr:Channel3></sr:Channel3>
                <sr:Channel4></sr:Channel4>
                <sr:Channel5></sr:Channel5>
                <sr:Channel6></sr:Channel6>
                <sr:Channel7></sr:Channel7>
                <sr:Channel8></sr:Channel8>
                <sr:Channel9></sr:Channel9>
                <sr:Channel10></sr:Channel10>
                <sr:Channel11></sr:Channel11>
                <sr:Channel12></sr:Channel12>
              </sr:LowerBandSubGHzChannels0To26>
              <sr:LowerBandSubGHzChannels27To34></sr:LowerBandSubGHzChannels27To34>
              <sr:LowerBandSubGHzChannels35To61></sr:LowerBandSubGHzChannels35To61>
              <sr:UpperBandSubGHzChannels0To26></sr:UpperBandSubGHzChannels0To26>
              <sr:NormalLimitedDutyCycleThreshold>1.0</sr:NormalLimitedDutyCycleThreshold>
              <sr:LimitedCriticalDutyCycleThreshold>2.0</sr:LimitedCriticalDutyCycleThreshold>
              <sr:MaximumSubGHzChannelChangesPerWeek>2</sr:MaximumSubGHzChannelChangesPerWeek>
              <sr:GSMECurfew>30</sr:GSMECurfew>
              <sr:ChannelQuieterThreshold>10</sr:ChannelQuieterThreshold>
              <sr:ChannelNoisierThreshold>5</sr:ChannelNoisierThreshold>
              <sr:NonGSMEPoorCommsPercentageThreshold>20.00</sr:NonGSMEPoorCommsPercentageThreshold>
              <sr:NonGSMEPoorCommsMeasurementPeriods>100</sr:NonGSMEPoorCommsMeasurementPeriods>
              <sr:LocalCHNoiseMeasurementPeriod>900</sr:LocalCHNoiseMeasurementPeriod>
              <sr:LocalCHFailurePercentage>10.00</sr:LocalCHFailurePercentage>
              <sr:LocalCHRetryPercentage>25.00</sr:LocalCHRetryPercentage>
            </sr:SetCHFSubGHzConfiguration>
            """),
        Device("6.29", DeviceType.CommunicationsHub, """
            <sr:RequestCHFSubGHzChannelScan></sr:RequestCHFSubGHzChannelScan>
            """),
        Device("6.30", DeviceType.CommunicationsHub, """
            <sr:ReadCHFSubGHzConfiguration></sr:ReadCHFSubGHzConfiguration>
            """),
        Device("6.31", DeviceType.CommunicationsHub, """
            <sr:ReadCHFSubGHzChannel></sr:ReadCHFSubGHzChannel>
            """),
        Device("6.32", DeviceType.CommunicationsHub, """
            <sr:ReadCHFSubGHzChannelLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadCHFSubGHzChannelLog>
            """),
    ];
}
