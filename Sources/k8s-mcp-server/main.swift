// Entry point: parse the command line and run the gateway (see Gateway/ServeCommand.swift).
import Gateway

ServeCommand.main()
