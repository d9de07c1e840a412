namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service references 1.x (tariff and prices), 2.x (prepayment) and 3.x (display and tenancy). Where a variant
    // applies to both fuels, the example addresses the electricity meter. Prices are in GBP with the price scale as a
    // power of ten: an Economy 7 style two-rate tariff of 30.12 p/kWh (day) and 15.40 p/kWh (night) and a standing
    // charge of 53.35 p/day. Bodies are on-demand (no ExecutionDateTime), so they never fall due in the past.
    private static RequestBodyInfo[] TariffPrepaymentAndDisplay() =>
    [
        Critical("1.1.1", DeviceType.ElectricityMeter, """
            <sr:UpdateImportTariffPrimaryElement>
              <sr:ElecTariffElements>
                <sr:CurrencyUnits>GBP</sr:CurrencyUnits>
                <sr:SwitchingTable>
                  <sr:DayProfiles>
                    <sr:DayProfile>
                      <sr:DayName>1</sr:DayName>
                      <sr:ProfileSchedule>
                        <sr:StartTime>00:00:00Z</sr:StartTime>
                        <sr:TOUTariffAction>1</sr:TOUTariffAction>
                      </sr:ProfileSchedule>
                      <sr:ProfileSchedule>
                        <sr:StartTime>00:30:00Z</sr:StartTime>
                        <sr:TOUTariffAction>2</sr:TOUTariffAction>
                      </sr:ProfileSchedule>
                      <sr:ProfileSchedule>
                        <sr:StartTime>07:30:00Z</sr:StartTime>
                        <sr:TOUTariffAction>1</sr:TOUTariffAction>
                      </sr:ProfileSchedule>
                    </sr:DayProfile>
                  </sr:DayProfiles>
                  <sr:WeekProfiles>
                    <sr:WeekProfile>
                      <sr:WeekName>1</sr:WeekName>
                      <sr:ReferencedDayName index="1">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="2">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="3">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="4">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="5">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="6">1</sr:ReferencedDayName>
                      <sr:ReferencedDayName index="7">1</sr:ReferencedDayName>
                    </sr:WeekProfile>
                  </sr:WeekProfiles>
                  <sr:Seasons>
                    <sr:Season>
                      <sr:SeasonName>allyear</sr:SeasonName>
                      <sr:SeasonStartDate>
                        <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                        <sr:Month><sr:SpecifiedMonth>1</sr:SpecifiedMonth></sr:Month>
                        <sr:DayOfMonth><sr:SpecifiedDayOfMonth>1</sr:SpecifiedDayOfMonth></sr:DayOfMonth>
                        <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                      </sr:SeasonStartDate>
                      <sr:ReferencedWeekName>1</sr:ReferencedWeekName>
                    </sr:Season>
                  </sr:Seasons>
                </sr:SwitchingTable>
                <sr:SpecialDays></sr:SpecialDays>
                <sr:ThresholdMatrix>
                  <sr:Thresholds index="1"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="2"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="3"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="4"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="5"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="6"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="7"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                  <sr:Thresholds index="8"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
                </sr:ThresholdMatrix>
              </sr:ElecTariffElements>
              <sr:PriceElements>
                <sr:ElectricityPriceElements>
                  <sr:StandingCharge>5335</sr:StandingCharge>
                  <sr:StandingChargeScale>-4</sr:StandingChargeScale>
                  <sr:PriceScale>-5</sr:PriceScale>
                  <sr:TOUTariff>
                    <sr:TOUPrice index="1">30120</sr:TOUPrice>
                    <sr:TOUPrice index="2">15400</sr:TOUPrice>
                  </sr:TOUTariff>
                </sr:ElectricityPriceElements>
              </sr:PriceElements>
            </sr:UpdateImportTariffPrimaryElement>
            """),
        // The secondary element of a twin-element meter: a single-rate storage heating circuit at 14.50 p/kWh.
        Critical("1.1.2", DeviceType.ElectricityMeter, """
            <sr:UpdateImportTariffSecondaryElement>
              <sr:SwitchingTable>
                <sr:DayProfiles>
                  <sr:DayProfile>
                    <sr:DayName>1</sr:DayName>
                    <sr:ProfileSchedule>
                      <sr:StartTime>00:00:00Z</sr:StartTime>
                      <sr:TOUTariffAction>1</sr:TOUTariffAction>
                    </sr:ProfileSchedule>
                  </sr:DayProfile>
                </sr:DayProfiles>
                <sr:WeekProfiles>
                  <sr:WeekProfile>
                    <sr:WeekName>1</sr:WeekName>
                    <sr:ReferencedDayName index="1">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="2">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="3">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="4">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="5">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="6">1</sr:ReferencedDayName>
                    <sr:ReferencedDayName index="7">1</sr:ReferencedDayName>
                  </sr:WeekProfile>
                </sr:WeekProfiles>
                <sr:Seasons>
                  <sr:Season>
                    <sr:SeasonName>allyear</sr:SeasonName>
                    <sr:SeasonStartDate>
                      <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                      <sr:Month><sr:SpecifiedMonth>1</sr:SpecifiedMonth></sr:Month>
                      <sr:DayOfMonth><sr:SpecifiedDayOfMonth>1</sr:SpecifiedDayOfMonth></sr:DayOfMonth>
                      <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                    </sr:SeasonStartDate>
                    <sr:ReferencedWeekName>1</sr:ReferencedWeekName>
                  </sr:Season>
                </sr:Seasons>
              </sr:SwitchingTable>
              <sr:SpecialDays></sr:SpecialDays>
              <sr:PriceElements>
                <sr:PriceScale>-5</sr:PriceScale>
                <sr:ElectricityPriceElement index="1">14500</sr:ElectricityPriceElement>
              </sr:PriceElements>
            </sr:UpdateImportTariffSecondaryElement>
            """),
        // A price change on the existing two-rate tariff.
        Critical("1.2.1", DeviceType.ElectricityMeter, """
            <sr:UpdatePricePrimaryElement>
              <sr:PriceElements>
                <sr:ElectricityPriceElements>
                  <sr:StandingCharge>5512</sr:StandingCharge>
                  <sr:StandingChargeScale>-4</sr:StandingChargeScale>
                  <sr:PriceScale>-5</sr:PriceScale>
                  <sr:TOUTariff>
                    <sr:TOUPrice index="1">27630</sr:TOUPrice>
                    <sr:TOUPrice index="2">13950</sr:TOUPrice>
                  </sr:TOUTariff>
                </sr:ElectricityPriceElements>
              </sr:PriceElements>
            </sr:UpdatePricePrimaryElement>
            """),
        Critical("1.2.2", DeviceType.ElectricityMeter, """
            <sr:UpdatePriceSecondaryElement>
              <sr:PriceElements>
                <sr:PriceScale>-5</sr:PriceScale>
                <sr:ElectricityPriceElement index="1">13880</sr:ElectricityPriceElement>
              </sr:PriceElements>
            </sr:UpdatePriceSecondaryElement>
            """),
        // A £20.00 goodwill credit on a prepayment meter (currency amounts are in units of 10^-5 GBP).
        Critical("1.5", DeviceType.ElectricityMeter, """
            <sr:UpdateMeterBalance>
              <sr:PrepaymentMode>
                <sr:AdjustMeterBalance>2000000</sr:AdjustMeterBalance>
              </sr:PrepaymentMode>
            </sr:UpdateMeterBalance>
            """),
        // Change to prepayment, keeping debt collection while the supply is off or on emergency credit.
        Critical("1.6", DeviceType.ElectricityMeter, """
            <sr:UpdatePaymentMode>
              <sr:Prepayment>
                <sr:SuspendDebtDisabled>true</sr:SuspendDebtDisabled>
                <sr:SuspendDebtEmergency>true</sr:SuspendDebtEmergency>
                <sr:DisablementThreshold>0</sr:DisablementThreshold>
              </sr:Prepayment>
            </sr:UpdatePaymentMode>
            """),
        Critical("1.7", DeviceType.ElectricityMeter, """
            <sr:ResetTariffBlockCounterMatrix></sr:ResetTariffBlockCounterMatrix>
            """),
        // Emergency credit £5.00 offered below £1.00, low credit warning at £3.00, friendly (non-disablement)
        // hours from 16:00 to 08:00 on weekdays, all weekend and on Christmas Day.
        Critical("2.1", DeviceType.ElectricityMeter, """
            <sr:UpdatePrepayConfiguration>
              <sr:UpdatePrepayConfigElectricity>
                <sr:DebtRecoveryRateCap>500</sr:DebtRecoveryRateCap>
                <sr:EmergencyCreditLimit>500000</sr:EmergencyCreditLimit>
                <sr:EmergencyCreditThreshold>100000</sr:EmergencyCreditThreshold>
                <sr:LowCreditThreshold>300000</sr:LowCreditThreshold>
                <sr:ElectricityNonDisablementCalendar>
                  <sr:ElectricitySpecialDays>
                    <sr:SpecialDay index="1">
                      <sr:Date>
                        <sr:Year><sr:NonSpecifiedYear></sr:NonSpecifiedYear></sr:Year>
                        <sr:Month><sr:SpecifiedMonth>12</sr:SpecifiedMonth></sr:Month>
                        <sr:DayOfMonth><sr:SpecifiedDayOfMonth>25</sr:SpecifiedDayOfMonth></sr:DayOfMonth>
                        <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek></sr:NonSpecifiedDayOfWeek></sr:DayOfWeek>
                      </sr:Date>
                    </sr:SpecialDay>
                  </sr:ElectricitySpecialDays>
                  <sr:ElectricityNonDisablementSchedule>
                    <sr:NonDisablementScript>START</sr:NonDisablementScript>
                    <sr:SpecialDaysApplicability>
                      <sr:SpecialDayApplicability><sr:SpecialDayID>1</sr:SpecialDayID></sr:SpecialDayApplicability>
                    </sr:SpecialDaysApplicability>
                    <sr:DaysOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Monday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Tuesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Wednesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Thursday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Friday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                    </sr:DaysOfWeekApplicability>
                    <sr:ScheduleDatesAndTime>
                      <sr:SwitchTime>16:00:00Z</sr:SwitchTime>
                      <sr:StartDate>2026-01-01</sr:StartDate>
                      <sr:EndDate>2036-12-31</sr:EndDate>
                    </sr:ScheduleDatesAndTime>
                  </sr:ElectricityNonDisablementSchedule>
                  <sr:ElectricityNonDisablementSchedule>
                    <sr:NonDisablementScript>STOP</sr:NonDisablementScript>
                    <sr:SpecialDaysApplicability></sr:SpecialDaysApplicability>
                    <sr:DaysOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Monday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Tuesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Wednesday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Thursday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Friday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                    </sr:DaysOfWeekApplicability>
                    <sr:ScheduleDatesAndTime>
                      <sr:SwitchTime>08:00:00Z</sr:SwitchTime>
                      <sr:StartDate>2026-01-01</sr:StartDate>
                      <sr:EndDate>2036-12-31</sr:EndDate>
                    </sr:ScheduleDatesAndTime>
                  </sr:ElectricityNonDisablementSchedule>
                  <sr:ElectricityNonDisablementSchedule>
                    <sr:NonDisablementScript>START</sr:NonDisablementScript>
                    <sr:SpecialDaysApplicability></sr:SpecialDaysApplicability>
                    <sr:DaysOfWeekApplicability>
                      <sr:DayOfWeekApplicability><sr:DayOfWeekID>Saturday</sr:DayOfWeekID></sr:DayOfWeekApplicability>
                    </sr:DaysOfWeekApplicability>
                    <sr:ScheduleDatesAndTime>
                      <sr:SwitchTime>00:00:00Z</sr:SwitchTime>
                      <sr:StartDate>2026-01-01</sr:StartDate>
                      <sr:EndDate>2036-12-31</sr:EndDate>
                    </sr:ScheduleDatesAndTime>
                  </sr:ElectricityNonDisablementSchedule>
                </sr:ElectricityNonDisablementCalendar>
                <sr:MaxMeterBalance>25000000</sr:MaxMeterBalance>
                <sr:MaxCreditThreshold>10000000</sr:MaxCreditThreshold>
              </sr:UpdatePrepayConfigElectricity>
            </sr:UpdatePrepayConfiguration>
            """),
        // A 20-digit Unique Transaction Reference Number from the supplier's top-up system.
        Device("2.2", DeviceType.ElectricityMeter, """
            <sr:TopUpDevice>
              <sr:UTRN>52917730461928374051</sr:UTRN>
            </sr:TopUpDevice>
            """),
        // £150.00 of time-based debt recovered at £1.50 a day, £80.00 of payment-based debt at 10% of each top-up.
        Critical("2.3", DeviceType.ElectricityMeter, """
            <sr:UpdateDebt>
              <sr:TimeDebtRegister1>15000000</sr:TimeDebtRegister1>
              <sr:TimeDebtRegister2>0</sr:TimeDebtRegister2>
              <sr:PaymentDebtRegister>8000000</sr:PaymentDebtRegister>
              <sr:DebtRecoveryPerPayment>1000</sr:DebtRecoveryPerPayment>
              <sr:ElecDebtRecovery1>
                <sr:DebtRecoveryRate>150</sr:DebtRecoveryRate>
                <sr:DebtRecoveryRatePriceScale>-2</sr:DebtRecoveryRatePriceScale>
                <sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod>
              </sr:ElecDebtRecovery1>
              <sr:ElecDebtRecovery2>
                <sr:DebtRecoveryRate>0</sr:DebtRecoveryRate>
                <sr:DebtRecoveryRatePriceScale>-2</sr:DebtRecoveryRatePriceScale>
                <sr:DebtRecoveryRatePeriod>DAILY</sr:DebtRecoveryRatePeriod>
              </sr:ElecDebtRecovery2>
            </sr:UpdateDebt>
            """),
        Critical("2.5", DeviceType.ElectricityMeter, """
            <sr:ActivateEmergencyCredit></sr:ActivateEmergencyCredit>
            """),
        Device("3.1", DeviceType.ElectricityMeter, """
            <sr:DisplayMessage>
              <sr:SupplierMessage>Your new prices apply from 1 January. Call 0800 048 1234 or visit our website for details.</sr:SupplierMessage>
            </sr:DisplayMessage>
            """),
        Device("3.2", DeviceType.ElectricityMeter, """
            <sr:RestrictAccessForChangeOfTenancy>
              <sr:RestrictionDateTime>2026-11-20T00:00:00Z</sr:RestrictionDateTime>
            </sr:RestrictAccessForChangeOfTenancy>
            """),
        Device("3.3", DeviceType.ElectricityMeter, """
            <sr:ClearEventLog>
              <sr:ESMEEventLogType>ESME</sr:ESMEEventLogType>
            </sr:ClearEventLog>
            """),
        Device("3.4", DeviceType.ElectricityMeter, """
            <sr:UpdateSupplierName>
              <sr:SupplierName>Brightwatt Ltd</sr:SupplierName>
              <sr:SupplierTelephoneNumber>0800 048 1234</sr:SupplierTelephoneNumber>
            </sr:UpdateSupplierName>
            """),
        Device("3.5", DeviceType.ElectricityMeter, """
            <sr:DisablePrivacyPIN></sr:DisablePrivacyPIN>
            """),
    ];
}
