namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{
    // Service references 9.x (customer identification), 11.x (firmware), 12.x (WAN coverage and pre-notification) and
    // 14.x (gas network data). The firmware images are small deterministic stand-ins (a product header and
    // pseudo-random payload) rather than a manufacturer's image; 11.3 activates the electricity meter image by its
    // SHA-256 hash.
    private static RequestBodyInfo[] FirmwareAndOther() =>
    [
        Device("9.1", DeviceType.ElectricityMeter, """
            <sr:RequestCustomerIdentificationNumber></sr:RequestCustomerIdentificationNumber>
            """),
        NonDevice("11.1", """
            <sr:UpdateFirmware>
              <sr:FirmwareImage>Q1NJTS1GVwBOTS1FMiBFU01FIDAyMDVBMUMzAItK2I8N+cfzzmosydUpWeZHtH0XH6PMMryhCPvfjMvC9dLu+pUJkd8OtGLARWn2U/J0J/YLpXtZrVpzzB92vxDKDKuXbOVLX7OD3e0ThMG5PMZY8m/OudjTUudSzcFL5DzS/J6Np23dRKYD/Exolhix0sG28hQDEPezYFxNvF/5DxgBzHSBakTLjh/iJIks2mBvhs6LCRslFWv2u5aTw7bosmpABLVjhNaAb9RzzgRxKqDowOBFOWMIZyBcQ0puXQyuKINVwzNZKRUYoUJMY1ZiqyitoTRAeQRx1BTuWqlxWRKVnxOyFfS/X/nIuyA0I6TwsKBdC3MLmUw3zKbh8EuTQSSeMVmTPcCeTQz959/8fMst15he9veDqM4O1g9zt7Xama46wUIysv3DgjFCv98QCcbunnbJvaN0w7WB5H0ouMN27D0DQK9W4iivXIYILGBf1zDYxHEGlWYCSysiU52jXEXpT7rYdTmKnBdanvBC7JZDVDoT2xdXP25iUozimCxztCczaz8JrN/B0KsKRuH3Y5G9EVXgSMohnQUFbork7ccjREoltpj9+V5XFqjY7tUfq9YfHaJihiu17zG3q9DsDGjZlBjc3LlsvDnjmkEGAgGt6jXrutVTJSFpxeJ/a+2TMxUqXzI2xCEBYDSApzAwDt7JOnaJmw7XTbQzU2pwY2IHwU46D8q7HRZC03IMZqS5+bSQ0m0Z/x+FgtK+PH5gH4JyElyol8ulc4DohgeyyY6hlhvhoXzrooWXV34RCDuQM2YSKIz7fHfQ5nB0ciaYRK/PxZ15sTqXDwrGnbsoGcdvDk9HUvBf9dnLzfLjtfuxd+gZT3vcnUDuipvAA0TI0D1mq4AtNlaA5mjcxmJqqJXwD09ULusVbGk1Iqev4pGcTF3PgdbekTdW6ovPxBdC+y/+Buz5Z+W5pJZLuZRe5t+HdQGy7pZXS1Xo77GMl0LyFEeIgjJ1c+F/IBB46BJndndG</sr:FirmwareImage>
              <sr:FirmwareVersion>0205A1C3</sr:FirmwareVersion>
              <sr:DeviceIDList>00-DB-12-34-56-78-90-A0</sr:DeviceIDList>
            </sr:UpdateFirmware>
            """),
        Device("11.2", DeviceType.AnyHanDevice, """
            <sr:ReadFirmwareVersion></sr:ReadFirmwareVersion>
            """),
        Critical("11.3", DeviceType.AnyHanDevice, """
            <sr:ActivateFirmware>
              <sr:FirmwareHash>C8C59A80CB0A04AAC48EDA7E655AA4EAB381F33607C52B7F4D8D89CE6783FDD9</sr:FirmwareHash>
            </sr:ActivateFirmware>
            """),
        NonDevice("11.4", """
            <sr:UpdatePPMIDFirmware>
              <sr:FirmwareImage>Q1NJTS1GVwBOTS1QMSBQUE1JRCAwMTAzMDAwNwBdgJgxNzZm5UwORw2AnOw8CPg7cthx/sGUtAihnVpYqGr1TIsEKFz4rNJ5PrwXlI0SDYaIW9vlFetzJoxDX/2mnNu7oSlrYQ9mPG7x1cdOLkynNk1BttPxbf9sAcawtCA+tKujdeQS7B9XRKwEcnmcvQQhefnaCRdLaK0wfh/QXUnNx6IjP6NUoDFZEOThD3eWaZ6uYaKcxWp3wgzLqBd6x8WcuEF4cnz9MZtMvQl/iH9whbFtRicoJi1LMpmNz/rCvNdBLW0Og90ancfS6ZsIYSe1QXddW8sQ4Jihamly1xB5B0vkTfxaCfFU0vVnkpYSwcSUBw9olCC0UPUySveZu7HDw3Qts8/ml/39BbB0nO/+1AYt953wls0v89UKTCGvQh0915uv8YQ/bq3RiZ/6U/Mfa6WSUFve6K3qrR0FmqYZok2IhTLHF86AnhOhLjZMfnfyJK5tZxWETXDjrp2k1CLNOr+T59dXgC8awGMxUoOqxR6FT10YWeJzSVNq+Drlq1R3/7jBrqRDjyM0eoWDrpaD5Nvvyq+w782tFOoTewkylJn/Fzgc//XW0grzQGK82tRziDmByfi8RKdpmJNXs8CSlJxDoXsOIDtl6oqX+Qe5f6hAU8SKEMN+cYL6VDuFl/M=</sr:FirmwareImage>
              <sr:FirmwareVersion>01030007</sr:FirmwareVersion>
              <sr:DeviceIDList>00-DB-12-34-56-78-90-A4</sr:DeviceIDList>
            </sr:UpdatePPMIDFirmware>
            """),
        // WAN coverage at a property by its Unique Property Reference Number.
        NonDevice("12.1", """
            <sr:RequestWANMatrix>
              <sr:UPRN>100023336956</sr:UPRN>
            </sr:RequestWANMatrix>
            """),
        NonDevice("12.2", """
            <sr:DevicePrenotification>
              <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
              <sr:DeviceManufacturer>Northfield Metering</sr:DeviceManufacturer>
              <sr:DeviceModel>NM-E2 single phase</sr:DeviceModel>
              <sr:DeviceType>ESME</sr:DeviceType>
              <sr:FirmwareVersion>0205A1C3</sr:FirmwareVersion>
              <sr:ESMEVariant>A</sr:ESMEVariant>
            </sr:DevicePrenotification>
            """),
        Device("14.1", DeviceType.GasMeter, """
            <sr:RecordNetworkDataGAS></sr:RecordNetworkDataGAS>
            """),
    ];
}
