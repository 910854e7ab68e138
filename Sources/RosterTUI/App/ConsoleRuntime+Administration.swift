import Foundation
import RosterModel

extension ConsoleRuntime {
    /// The import mapping step and field administration, on the store's worker.
    func performAdministration(_ effect: ConsoleEffect) {
        let store = self.store
        let events = self.events
        switch effect {
        case .previewImport(let generation, let typed):
            let draft = Self.expandingHome(typed)
            // A held key (`o`) asks for many previews; only the latest is read (a big file's can take seconds).
            generations.set("importPreview", generation)
            run(on: interactive) { [generations] in
                guard generations.isCurrent("importPreview", generation) else { return }
                events.post(.importPreviewed(generation: generation, Result { try store.previewImport(draft) }.failure))
            }
        case .importMapped(let typed):
            let draft = Self.expandingHome(typed)
            run(on: bulk) {
                let result = Result { try store.importFile(draft) { events.post(.importProgress($0)) } }
                Self.waitForImportGate()
                events.post(.importFinished(result.failure))
            }
        case .loadFields:
            run(on: bulk) { events.post(.fieldsLoaded(Result { try store.fieldSummaries() }.failure)) }
        case .checkFieldChange(let change):
            run(on: bulk) {
                events.post(
                    .fieldChangeChecked(change, Result { try store.changeField(change, apply: false).check }.failure))
            }
        case .applyFieldChange(let change):
            // On the loading queue: the working set is reloaded after the change, in order.
            run(on: bulk) {
                let result = Result { try store.changeField(change, apply: true).done ?? "" }
                events.post(.fieldChanged(change, result.failure))
            }
        default:
            break
        }
    }

    /// The draft with `~` in its path read as the shell would.
    private static func expandingHome(_ draft: ImportDraft) -> ImportDraft {
        var expanded = draft
        expanded.path = expandingHome(draft.path, home: ProcessInfo.processInfo.environment["HOME"])
        return expanded
    }
}
