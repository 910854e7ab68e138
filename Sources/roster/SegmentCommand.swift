import ArgumentParser
import Foundation
import RosterCore
import RosterModel
import RosterTUI

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Save, list or delete named filters (segments), used as @NAME in any filter.",
        discussion: """
            A segment is a name for a filter expression, kept in the store (sealed). Wherever a filter is \
            accepted, @NAME stands for it: roster query @birthdays --count, roster export --filter \
            '@birthdays and has sms', the console's / prompt. Names are letters, digits, '_', '-' and '.', \
            compared ignoring case; a segment may name other segments, but not itself. Saving and deleting are \
            audited (action segment).
            Examples:
              roster segment save birthdays 'birthday = today and consent email'
              roster segment list
            """,
        subcommands: [Save.self, List.self, Delete.self])

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a filter under a name, after checking it against the store's fields.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The name (letters, digits, '_', '-', '.').")
        var name: String

        @Argument(help: "The filter (see `roster query --help`).")
        var expression: String

        @Flag(help: "Replace the segment already saved under this name.")
        var replace = false

        func run() throws {
            let store = try storeOptions.open()
            let count = try store.saveSegment(named: name, expression: expression, replacing: replace) {
                filter, segments in
                let segment = try Segment(store: store)
                var context = try Segment.context(store: store)
                context.segments = segments
                do throws(FilterError) {
                    return try segment.index.count(filter, context: context)
                } catch {
                    throw RosterError.invalidValue(.filter(error))
                }
            }
            let saved = try SavedSegment.validName(name)
            let matches = count == 1 ? "1 customer matches" : "\(count) customers match"
            Output.line("Saved @\(Output.safe(saved)): \(matches) now.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each saved segment with its filter and how many customers it selects now.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let store = try storeOptions.open()
            let segments = try store.savedSegments()
            var counts: [Result<Int, RosterError>] = []
            if !segments.all.isEmpty {
                let segment = try Segment(store: store)
                let context = try Segment.context(store: store)
                counts = segments.all.map { saved in
                    do throws(FilterError) {
                        let filter = try Filter.parse("@" + saved.name, segments: segments)
                        return .success(try segment.index.count(filter, context: context))
                    } catch {
                        return .failure(.invalidValue(.filter(error)))
                    }
                }
            }
            if output.json {
                let items = zip(segments.all, counts).map { saved, count -> JSONValue in
                    switch count {
                    case .success(let count): return saved.json(count: count)
                    case .failure(let error):
                        return .object([
                            ("name", .string(saved.name)), ("expression", .string(saved.expression)),
                            ("count", .null), ("error", .string(error.description)),
                        ])
                    }
                }
                Output.json(.object([("segments", .array(items))]))
                return
            }
            if segments.all.isEmpty {
                Output.note("No segment is saved in \(store.path); save one with: roster segment save NAME EXPR")
                return
            }
            let names = segments.all.map { "@" + Output.safe($0.name) }
            let width = max(4, names.map(TextWidth.of).max() ?? 0)
            let countTexts = counts.map { (try? $0.get()).map(String.init) ?? "error" }
            let countWidth = max(9, countTexts.map(\.count).max() ?? 0)
            Output.line(
                Output.padded("name", to: width) + "  "
                    + "customers".leftPadded(to: countWidth) + "  filter")
            for (offset, saved) in segments.all.enumerated() {
                Output.line(
                    Output.padded(names[offset], to: width) + "  "
                        + countTexts[offset].leftPadded(to: countWidth) + "  " + Output.safe(saved.expression))
                if case .failure(let error) = counts[offset] { Output.note("  \(error.description)") }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a saved segment.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The name.")
        var name: String

        func run() throws {
            let store = try storeOptions.open()
            try store.deleteSegment(named: name)
            let shown = name.hasPrefix("@") ? String(name.dropFirst()) : name
            Output.line("Deleted @\(Output.safe(shown)).")
        }
    }
}

extension String {
    /// The string with spaces before it up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
