import Dispatch
import Foundation

/// Pass 2 on the bulk path: one thread reads and validates rows while the caller's thread seals
/// (on all cores) and writes them.
extension Importer {
    /// What the reading thread hands over: valid rows and rejected ones, in file order.
    struct Batch {
        var plans: [RowPlan] = []
        /// Rejected rows with the position among `plans` they come before, so reports stay in line order.
        var rejects: [(line: Int, raw: [UInt8], reason: String)] = []
        var rows = 0
        var bytesRead = 0
    }

    /// A bounded hand-over between the reading thread and the writer.
    final class BatchChannel: @unchecked Sendable {
        private var items: [Result<Batch, Error>?] = []
        private let lock = NSCondition()
        private let capacity = 3

        func put(_ item: Result<Batch, Error>?) {
            lock.lock()
            while items.count >= capacity { lock.wait() }
            items.append(item)
            lock.signal()
            lock.unlock()
        }

        func take() -> Result<Batch, Error>? {
            lock.lock()
            while items.isEmpty { lock.wait() }
            let item = items.removeFirst()
            lock.signal()
            lock.unlock()
            return item
        }
    }

    func applyBulk(_ scan: KeyScan) throws {
        let loader = BulkLoader(store: store)
        try loader.open()
        do {
            try runBulk(scan, loader: loader)
        } catch {
            loader.discard()
            throw error
        }
    }

    private func runBulk(_ scan: KeyScan, loader: BulkLoader) throws {
        let reader = try openReader()
        let rejectsFile = try options.rejectsPath.map {
            try RejectsFile(path: $0, header: reader.header, dialect: reader.dialect)
        }
        let channel = BatchChannel()
        let planner = scan.planner
        // The reader is used by the producer thread only, until it finishes.
        let shared = UnsafeSendableBox(reader)
        let fileSize = reader.fileSize
        let producer = Thread {
            let reader = shared.value
            var batch = Batch()
            var ordinal = 0
            do {
                while let result = try reader.next() {
                    defer { ordinal += 1 }
                    batch.rows += 1
                    switch result {
                    case .failure(let error):
                        batch.rejects.append((error.line, error.raw, error.reason))
                    case .success(let record):
                        if let reason = scan.rejects[record.line] {
                            batch.rejects.append((record.line, record.raw, reason))
                        } else if scan.survivors.contains(ordinal) {
                            switch planner.plan(record.fields, line: record.line) {
                            case .success(let plan): batch.plans.append(plan)
                            case .failure(let rejection):
                                batch.rejects.append((record.line, record.raw, rejection.reason))
                            }
                        }
                    }
                    if batch.plans.count >= 8192 {
                        batch.bytesRead = reader.bytesRead
                        channel.put(.success(batch))
                        batch = Batch()
                    }
                }
                batch.bytesRead = reader.bytesRead
                channel.put(.success(batch))
                channel.put(nil)
            } catch {
                channel.put(.failure(error))
                channel.put(nil)
            }
        }
        producer.start()

        var identity: [BulkLoader.Entry] = []
        var emails: [BulkLoader.Entry] = []
        var phones: [BulkLoader.Entry] = []
        // The line of each row id (row ids are given in file order from 1), to report late conflicts.
        var lines: [Int32] = []
        lines.reserveCapacity(scan.rows)
        identity.reserveCapacity(scan.rows)
        var nextRowID: Int64 = 1
        var failure: Error?
        while let item = channel.take() {
            guard failure == nil else { continue }
            do {
                let batch = try item.get()
                summary.read += batch.rows
                for reject in batch.rejects {
                    summary.rejects.append(.init(line: reject.line, reason: reject.reason))
                    try rejectsFile?.write(raw: reject.raw, reason: reject.reason)
                }
                if options.strict && !summary.rejects.isEmpty { throw ImportRefused(summary: summary) }
                let sealed = try loader.seal(batch.plans, firstRowID: nextRowID, kind: options.kind)
                nextRowID += Int64(batch.plans.count)
                for row in sealed {
                    lines.append(Int32(row.plan.line))
                    identity.append(BulkLoader.Entry(row.identity, row.rowID))
                    if let email = row.email { emails.append(BulkLoader.Entry(email, row.rowID)) }
                    if let phone = row.phone { phones.append(BulkLoader.Entry(phone, row.rowID)) }
                }
                try loader.insert(sealed)
                summary.created += sealed.count
                progress?(
                    ImportProgressReport(
                        phase: .importing, rows: summary.read, bytesRead: batch.bytesRead, totalBytes: fileSize))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        progress?(ImportProgressReport(phase: .indexing, rows: summary.read, bytesRead: 0, totalBytes: nil))
        // Duplicates surface in the sort: an email or phone on two rows stays with the earlier row.
        let order = { (a: BulkLoader.Entry, b: BulkLoader.Entry) in (a.high, a.low, a.rowID) < (b.high, b.low, b.rowID)
        }
        identity.sort(by: order)
        emails.sort(by: order)
        var losers = Set<Int64>()
        for (entries, noun) in [(emails, "email"), (phones, "phone")] {
            var sorted = entries.filter { !losers.contains($0.rowID) }
            if noun == "phone" { sorted.sort(by: order) }
            var index = 1
            while index < sorted.count {
                let previous = sorted[index - 1]
                let entry = sorted[index]
                if entry.high == previous.high && entry.low == previous.low {
                    var first = index - 1
                    while first > 0 && sorted[first - 1].high == entry.high && sorted[first - 1].low == entry.low {
                        first -= 1
                    }
                    let owner = lines[Int(sorted[first].rowID - 1)]
                    let line = Int(lines[Int(entry.rowID - 1)])
                    let reason =
                        "its \(noun) already belongs to the customer on line \(owner); an identifier belongs to one customer only"
                    losers.insert(entry.rowID)
                    summary.rejects.append(.init(line: line, reason: reason))
                    lateRejects[line] = reason
                }
                index += 1
            }
            if noun == "email" { emails = sorted.filter { !losers.contains($0.rowID) } }
        }
        if !losers.isEmpty {
            if options.strict { throw ImportRefused(summary: summary) }
            identity.removeAll { losers.contains($0.rowID) }
            emails.removeAll { losers.contains($0.rowID) }
            phones.removeAll { losers.contains($0.rowID) }
            try loader.delete(losers)
            summary.created -= losers.count
        }
        phones.sort(by: order)
        let newFields = scan.planner.fieldTypes.filter { store.fieldTypes[$0.key] == nil }.map {
            FieldAssignment(key: $0.key, name: $0.value.name, type: $0.value.type, value: "")
        }
        try loader.finish(
            identity: identity, email: emails, phone: phones, fields: newFields,
            audit: "\(options.kind.rawValue) file (bulk): \(summary.created) created, \(summary.rejected) rejected")
        if let rejectsFile, !lateRejects.isEmpty { try copyRows(lines: lateRejects, to: rejectsFile) }
        try rejectsFile?.close()
        summary.bulk = true
    }
}
