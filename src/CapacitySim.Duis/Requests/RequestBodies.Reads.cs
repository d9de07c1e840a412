namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service references 4.x (reads) and 5.x (DCC schedules). Reads are on-demand: no ExecutionDateTime. Log reads ask
    // for a recent, realistic window: the last day of half-hourly profile data, a week of daily reads, a month of
    // billing data. Gas-only reads go to the gas proxy on the hub, which holds the gas meter's data.
    private static RequestBodyInfo[] Reads() =>
    [
        Device("4.1.1", DeviceType.ElectricityMeter, """
            <sr:ReadInstantaneousImportRegisters></sr:ReadInstantaneousImportRegisters>
            """),
        Device("4.1.2", DeviceType.ElectricityMeter, """
            <sr:ReadInstantaneousImportTOUMatrices></sr:ReadInstantaneousImportTOUMatrices>
            """),
        Device("4.1.3", DeviceType.ElectricityMeter, """
            <sr:ReadInstantaneousImportTOUWithBlocksMatrices></sr:ReadInstantaneousImportTOUWithBlocksMatrices>
            """),
        Device("4.1.4", DeviceType.GasProxy, """
            <sr:ReadInstantaneousImportBlockCounters></sr:ReadInstantaneousImportBlockCounters>
            """),
        Device("4.2", DeviceType.ElectricityMeter, """
            <sr:ReadInstantaneousExportRegisters></sr:ReadInstantaneousExportRegisters>
            """),
        Device("4.3", DeviceType.ElectricityMeter, """
            <sr:ReadInstantaneousPrepayValues></sr:ReadInstantaneousPrepayValues>
            """),
        Device("4.4.2", DeviceType.ElectricityMeter, """
            <sr:RetrieveCoMOrTariffTriggeredBillingDataLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-10-01T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-01T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveCoMOrTariffTriggeredBillingDataLog>
            """),
        Device("4.4.3", DeviceType.ElectricityMeter, """
            <sr:RetrieveBillingCalendarTriggeredBillingDataLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-10-01T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-01T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveBillingCalendarTriggeredBillingDataLog>
            """),
        Device("4.4.4", DeviceType.ElectricityMeter, """
            <sr:RetrieveBillingDataLogDebtPayments>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-10-01T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-01T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveBillingDataLogDebtPayments>
            """),
        Device("4.4.5", DeviceType.ElectricityMeter, """
            <sr:RetrieveBillingDataLogPrepaymentCredits>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-10-01T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-01T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveBillingDataLogPrepaymentCredits>
            """),
        Device("4.6.1", DeviceType.ElectricityMeter, """
            <sr:RetrieveImportDailyReadLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveImportDailyReadLog>
            """),
        Device("4.6.2", DeviceType.ElectricityMeter, """
            <sr:RetrieveExportDailyReadLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveExportDailyReadLog>
            """),
        Device("4.8.1", DeviceType.ElectricityMeter, """
            <sr:ReadActiveImportProfileData>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-21T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadActiveImportProfileData>
            """),
        Device("4.8.2", DeviceType.ElectricityMeter, """
            <sr:ReadReactiveImportProfileData>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-21T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadReactiveImportProfileData>
            """),
        Device("4.8.3", DeviceType.ElectricityMeter, """
            <sr:ReadExportProfileData>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-21T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadExportProfileData>
            """),
        Device("4.10", DeviceType.ElectricityMeter, """
            <sr:ReadNetworkData>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-21T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadNetworkData>
            """),
        Device("4.11.1", DeviceType.ElectricityMeter, """
            <sr:ReadTariffPrimaryElement></sr:ReadTariffPrimaryElement>
            """),
        Device("4.11.2", DeviceType.ElectricityMeter, """
            <sr:ReadTariffSecondaryElement></sr:ReadTariffSecondaryElement>
            """),
        Device("4.12.1", DeviceType.ElectricityMeter, """
            <sr:ReadMaximumDemandImportRegisters></sr:ReadMaximumDemandImportRegisters>
            """),
        Device("4.12.2", DeviceType.ElectricityMeter, """
            <sr:ReadMaximumDemandExportRegisters></sr:ReadMaximumDemandExportRegisters>
            """),
        Device("4.13", DeviceType.ElectricityMeter, """
            <sr:ReadPrepaymentConfiguration></sr:ReadPrepaymentConfiguration>
            """),
        Device("4.14", DeviceType.ElectricityMeter, """
            <sr:ReadPrepaymentDailyReadLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:ReadPrepaymentDailyReadLog>
            """),
        Device("4.15", DeviceType.ElectricityMeter, """
            <sr:ReadLoadLimitData></sr:ReadLoadLimitData>
            """),
        Device("4.16", DeviceType.ElectricityMeter, """
            <sr:ReadActivePowerImport></sr:ReadActivePowerImport>
            """),
        Device("4.17", DeviceType.GasProxy, """
            <sr:RetrieveDailyConsumptionLog>
              <sr:ReadLogPeriod>
                <sr:StartDateTime>2026-11-15T00:00:00Z</sr:StartDateTime>
                <sr:EndDateTime>2026-11-22T00:00:00Z</sr:EndDateTime>
              </sr:ReadLogPeriod>
            </sr:RetrieveDailyConsumptionLog>
            """),
        Device("4.18", DeviceType.ElectricityMeter, """
            <sr:ReadMeterBalance></sr:ReadMeterBalance>
            """),
    ];

    // 5.x: the DCC runs a daily read of the previous day's half-hourly import profile (settlement data) at 01:30.
    private static RequestBodyInfo[] Schedules() =>
    [
        NonDevice("5.1", """
            <sr:CreateSchedule>
              <sr:ScheduleFrequency>Daily</sr:ScheduleFrequency>
              <sr:ScheduleStartDate>2026-12-01</sr:ScheduleStartDate>
              <sr:ScheduleExecutionStartTime>01:30:00Z</sr:ScheduleExecutionStartTime>
              <sr:DSPScheduledServiceReference>4.8</sr:DSPScheduledServiceReference>
              <sr:DSPScheduledServiceReferenceVariant>4.8.1</sr:DSPScheduledServiceReferenceVariant>
              <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
              <sr:DSPReadActiveImportProfileData>
                <sr:StartDateOffset>-1</sr:StartDateOffset>
                <sr:StartTime>00:00:00Z</sr:StartTime>
                <sr:EndDateOffset>0</sr:EndDateOffset>
                <sr:EndTime>00:00:00Z</sr:EndTime>
              </sr:DSPReadActiveImportProfileData>
            </sr:CreateSchedule>
            """),
        NonDevice("5.2", """
            <sr:ReadSchedule>
              <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
            </sr:ReadSchedule>
            """),
        NonDevice("5.3", """
            <sr:DeleteSchedule>
              <sr:DSPScheduleID>4711</sr:DSPScheduleID>
            </sr:DeleteSchedule>
            """),
    ];
}
