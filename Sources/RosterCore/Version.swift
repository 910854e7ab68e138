public enum RosterVersion { public static let string = "0.1.0" }
