using CapacitySim.Cli;

return CapacitySimCommand.Run(args);
