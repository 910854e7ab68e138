import Crypto
import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("externalCode")
struct ExternalCodeTests {
    /// Same cases as ../shared/vectors/externalcodes.tsv.
    static let cases: [(appKey: String, crmId: String, code: String)] = [
        ("ak-123456", "CRM-1", "787301fe98e3d4a7e17c18fa1dd155ffb7f5cba1fa3d527d56d522fae24807bb"),
        ("ak-123456", " CRM-1 ", "787301fe98e3d4a7e17c18fa1dd155ffb7f5cba1fa3d527d56d522fae24807bb"),
        ("ak-123456", "ana.garcia@example.com", "5121249f1f15b96e61cca7bbee4b0b9b2ee55cca8a136e83bae79ab00b02c3f6"),
        ("ak-123456", "José", "64a0c56a8309c053b10ce265ce42718f3f206746abee1ff8bf66e0a3d63f3557"),
        ("another-key", "+34600112233", "393aeed4a4ccfa62ca72a3e28202658caa4d43c3cbda3f34bf4d4e53a6c9fe17"),
    ]

    @Test("the shared vectors give the SDK's codes", arguments: cases.indices)
    func vectors(index: Int) {
        let item = Self.cases[index]
        #expect(ExternalCodeDeriver(appKey: item.appKey).externalCode(for: item.crmId) == item.code)
    }

    @Test("the vectors file, when present, agrees with the inline cases")
    func vectorsFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../../shared/vectors/externalcodes.tsv"
        ).standardized.path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("skipping: \(path) is not present")
            return
        }
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3 else { continue }
            #expect(ExternalCodeDeriver(appKey: columns[0]).externalCode(for: columns[1]) == columns[2])
            checked += 1
        }
        #expect(checked >= 5)
    }

    @Test("a store made with --app-key derives what an independent HMAC computes")
    func storeWithAppKey() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore(appKey: "my-web-app-key")
        let expected = HMAC<SHA256>.authenticationCode(
            for: Array("Customer 42".utf8), using: SymmetricKey(data: Array("my-web-app-key".utf8)))
        let hex = expected.map { String(format: "%02x", $0) }.joined()
        #expect(store.externalCode(for: "  Customer 42 ") == hex)
        let customer = try store.addCustomer(crmId: "Customer 42")
        #expect(customer.externalCode == hex)
        #expect(try store.customer(hex).crmId == "Customer 42")
    }

    @Test("without --app-key each store gets its own random app key")
    func randomAppKey() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        let codeA = try first.makeStore(appKey: nil).externalCode(for: "CRM-1")
        let codeB = try second.makeStore(appKey: nil).externalCode(for: "CRM-1")
        #expect(codeA != codeB)
        #expect(codeA.count == 64)
        let reopened = try Store.open(at: first.file("store.roster"), key: .keyFile(path: first.file("store.key")))
        #expect(reopened.externalCode(for: "CRM-1") == codeA)
    }
}
