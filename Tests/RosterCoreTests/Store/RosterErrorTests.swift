import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("RosterError: typed cases, worded once")
struct RosterErrorTests {
    @Test("a refused value carries its data, and its message is the one users have always seen")
    func invalidValueWording() {
        #expect(
            RosterError.invalidValue(.unknownTimeZone("Mars/Olympus")).description
                == "unknown time zone \"Mars/Olympus\" (use an IANA name such as Europe/Madrid)")
        #expect(
            RosterError.invalidValue(.valueNotOfType(value: "soon", type: .date, field: "Birthday")).description
                == "\"soon\" is not \(FieldType.date.phrase), the type of field Birthday")
        #expect(
            RosterError.invalidValue(.deviceNotChosen(externalCode: "ab12", deviceIds: ["d1", "d2"])).description
                == "customer ab12 has 2 devices; name one by its deviceId: d1, d2")
        #expect(
            RosterError.invalidValue(.deviceNotChosen(externalCode: "ab12", deviceIds: [])).description
                == "customer ab12 has no device")
        #expect(RosterError.invalidValue("worded by the caller") == .invalidValue(.message("worded by the caller")))
    }

    @Test("the core's messages name no command-line flag or variable: the executable adds those")
    func noFlagsInTheCore() {
        let errors: [RosterError] = [
            .storeMissing(path: "/s"), .keyKindMismatch(path: "/s", needsKeyFile: true),
            .keyKindMismatch(path: "/s", needsKeyFile: false), .noKeyMaterial(path: "/s"),
            .busy(path: "/s", holder: nil), .invalidValue(.today("2024-13-01", reason: "not a date")),
        ]
        for error in errors {
            for flag in ["--keyfile", "ROSTER_KEYFILE", "ROSTER_PASSPHRASE", "--wait", "--store", "--today"] {
                #expect(!error.description.contains(flag), "\(error.description)")
            }
        }
    }

    @Test("a store's region conflict says both regions and that nothing moved")
    func conflictWording() {
        let conflict = RosterError.conflict(
            .otherRegion(path: "x.jsonl", region: "us", storePath: "/s", storeRegion: "eu"))
        #expect(
            conflict.description
                == "x.jsonl was exported from a store in region us; the store /s is in region eu. Roster never moves "
                + "data between regions (nothing was imported)")
    }
}
