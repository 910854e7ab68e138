import RosterModel

extension ConsoleUpdate {
    /// Edits `input` with a line-editing key; false when the key is not one.
    static func edit(_ input: inout TextInput, _ key: Key) -> Bool {
        switch key {
        case .character(let character): input.insert(character)
        case .backspace: input.backspace()
        case .delete: input.deleteForward()
        case .left: input.move(-1)
        case .right: input.move(1)
        case .home, .control("a"): input.home()
        case .end, .control("e"): input.end()
        case .control("u"): input.killToStart()
        case .control("w"): input.killWord()
        default: return false
        }
        return true
    }

    /// Pasted text: typed into the open prompt or template (line breaks and tabs as spaces, other control
    /// characters dropped); elsewhere it is not a key sequence and does nothing but say where it goes.
    static func paste(_ text: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        var clean = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" {
                clean.append(" ")
            } else if scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) {
                clean.append(scalar)
            }
        }
        let pasted = String(clean)
        if var prompt = state.prompt {
            let before = prompt.input.text
            prompt.input.insert(pasted)
            prompt.historyIndex = nil
            state.prompt = prompt
            if prompt.kind == .filter && prompt.input.text != before && state.screens.isEmpty {
                return startFilter(prompt.input.text, on: state.view, &state)
            }
            return []
        }
        if let last = state.screens.indices.last, case .preview(var preview) = state.screens[last] {
            let before = preview.input.text
            preview.input.insert(pasted)
            guard preview.input.text != before else { return [] }
            state.screens[last] = .preview(preview)
            return previewEffects(&state)
        }
        state.notice = .init(text: "a paste goes into a prompt: open one with / or : first", isError: true)
        return []
    }

    /// A key while the `/` or `:` line is open.
    static func promptKey(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard var prompt = state.prompt else { return [] }
        switch (prompt.kind, key) {
        case (.filter, .escape):
            // Back to the filter kept before this edit, on the same customer (no filter kept: cleared).
            guard let kept = prompt.kept, kept.rows != nil else {
                closePrompt(&state)
                return startFilter(prompt.kept?.text ?? "", on: state.view, &state)
            }
            state.filters[state.view] = kept
            state.browser.filterRowsGeneration[state.view] = kept.generation
            state.positions[state.view] = ConsoleState.Position()
            if let rowID = prompt.keptRowID { select(rowID: rowID, in: state.view, &state) }
            closePrompt(&state)
        case (.command, .escape):
            closePrompt(&state)
        case (.filter, .enter):
            closePrompt(&state)
            if prompt.input.text.trimmingSpaces.isEmpty { return startFilter("", on: state.view, &state) }
        case (.command, .enter):
            closePrompt(&state)
            let line = prompt.input.text
            if !line.trimmingSpaces.isEmpty && state.history.last != line { state.history.append(line) }
            return run(line, &state)
        case (.filter, .up), (.filter, .down), (.filter, .pageUp), (.filter, .pageDown):
            let action: ConsoleAction =
                key == .up ? .moveUp : key == .down ? .moveDown : key == .pageUp ? .pageUp : .pageDown
            if state.screens.isEmpty { return perform(action, &state) }
        case (.command, .up), (.command, .down):
            guard !state.history.isEmpty else { return [] }
            if prompt.historyIndex == nil { prompt.draft = prompt.input.text }
            let last = state.history.count - 1
            let current = prompt.historyIndex ?? state.history.count
            let target = key == .up ? max(0, current - 1) : current + 1
            if target > last {
                prompt.historyIndex = nil
                prompt.input.replace(with: prompt.draft)
            } else {
                prompt.historyIndex = target
                prompt.input.replace(with: state.history[target])
            }
            state.prompt = prompt
        case (_, .backspace) where prompt.input.text.isEmpty:
            closePrompt(&state)
            if prompt.kind == .filter { return startFilter("", on: state.view, &state) }
        default:
            let before = prompt.input.text
            guard edit(&prompt.input, key) else { return [] }
            prompt.historyIndex = nil
            state.prompt = prompt
            if prompt.kind == .filter && prompt.input.text != before && state.screens.isEmpty {
                return startFilter(prompt.input.text, on: state.view, &state)
            }
        }
        return []
    }

    private static func closePrompt(_ state: inout ConsoleState) {
        state.prompt = nil
        scroll(state.view, &state)
    }

    /// Runs a `:` command line.
    static func run(_ line: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        switch ColonCommand.parse(line) {
        case .failure(let failure):
            state.notice = .init(text: failure.message, isError: true)
            return []
        case .success(let command):
            switch command {
            case .show(let kind): return show(kind, &state)
            case .deviceGet(let id):
                state.screens.append(.deviceGet(DeviceGetScreen(request: id)))
                return [.deviceGet(id)]
            case .importFile(let kind, let path): return startImport(kind: kind, path: path, &state)
            case .importSetting(let setting): return applySetting(setting, &state)
            case .field(let change): return fieldCommand(change, &state)
            case .theme(let name): return [.loadTheme(name)]
            case .filter(let text):
                state.screens.removeAll()
                return startFilter(text, on: state.view, &state)
            case .preview(let template): return openPreview(template: template, &state)
            case .edit(let change):
                guard let rowID = editTarget(state) else {
                    state.notice = .init(text: "select a customer first (Customers view or its detail)", isError: true)
                    return []
                }
                return [.editCustomer(rowID: rowID, change)]
            case .segments: return openSegments(&state)
            case .saveSegment(let name, let replacing): return saveSegment(name, replacing: replacing, &state)
            case .deleteSegment(let name): return [.deleteSegment(name)]
            case .help:
                state.screens.append(.help(offset: 0))
                return []
            case .quit:
                return quit(&state)
            case .columns, .frequency, .export:
                return browserCommand(command, &state)
            }
        }
    }

    /// The customer `:set`, `:unset` and `:consent` change: the open detail's, else the selected one; the
    /// command line names it while it is open, and the edit carries its row ID, never a row number.
    static func editTarget(_ state: ConsoleState) -> Int64? {
        if case .detail(let detail) = state.screens.last { return detail.rowID }
        guard state.screens.isEmpty, let row = state.selectedCustomerRow, let customers = state.customers else {
            return nil
        }
        return customers.workingSet.rowIDs[row]
    }

    /// `p`: opens the preview for the selected customer (or the detail's), with segment counts on a filtered list.
    static func openPreview(template: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        var rowID: Int64?
        var subject = ""
        if case .detail(let detail) = state.screens.last {
            rowID = detail.rowID
            subject = detail.detail.map { String($0.customer.externalCode.prefix(12)) } ?? ""
        } else if let row = state.selectedCustomerRow, let customers = state.customers {
            rowID = customers.workingSet.rowIDs[row]
            subject = String(customers.workingSet.externalCodes[row].prefix(12))
            if let name = customers.name(row) { subject += " " + name }
        } else if let device = state.selectedDevice, let customerRowID = device.customerRowID {
            rowID = customerRowID
            subject = device.externalCode.map { String($0.prefix(12)) } ?? ""
        }
        guard let rowID else {
            state.notice = .init(text: "select a customer to preview a template for", isError: true)
            return []
        }
        var preview = PreviewScreen(rowID: rowID, subject: subject)
        // `p` brings back the template of the last preview: the same message is checked customer after customer.
        let template = template.isEmpty ? state.lastTemplate : template
        preview.input = TextInput(template)
        if state.view.showsCustomers, let filter = state.filters[state.view], let rows = filter.rows {
            preview.segmentRows = rows
            preview.segmentFilter = filter.text
        }
        state.screens.append(.preview(preview))
        return template.isEmpty ? [] : previewEffects(&state)
    }

    /// A key while the preview's template has the keyboard.
    static func previewKey(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let last = state.screens.indices.last, case .preview(var preview) = state.screens[last] else { return [] }
        switch key {
        case .escape:
            state.lastTemplate = preview.input.text
            state.screens.removeLast()
            return []
        case .enter:
            // Keeps the template (for the next `p` and in the history) and goes back.
            let template = preview.input.text
            state.lastTemplate = template
            if !template.trimmingSpaces.isEmpty && state.templateHistory.last != template {
                state.templateHistory.append(template)
            }
            state.screens.removeLast()
            if !template.isEmpty {
                state.notice = .init(text: "template kept: p previews it for the selected customer", isError: false)
            }
            return []
        case .up, .down:
            let history = state.templateHistory
            guard !history.isEmpty else { return [] }
            if preview.historyIndex == nil { preview.draft = preview.input.text }
            let current = preview.historyIndex ?? history.count
            let target = key == .up ? max(0, current - 1) : current + 1
            if target > history.count - 1 {
                preview.historyIndex = nil
                preview.input.replace(with: preview.draft)
            } else {
                preview.historyIndex = target
                preview.input.replace(with: history[target])
            }
            state.screens[last] = .preview(preview)
            return previewEffects(&state)
        default:
            let before = preview.input.text
            guard edit(&preview.input, key), preview.input.text != before else { return [] }
            preview.historyIndex = nil
            state.screens[last] = .preview(preview)
            return previewEffects(&state)
        }
    }

    /// Asks for the preview of the current template (and over the segment when there is one).
    private static func previewEffects(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let last = state.screens.indices.last, case .preview(var preview) = state.screens[last] else { return [] }
        preview.generation = state.nextGeneration
        state.nextGeneration += 1
        let template = preview.input.text
        var effects: [ConsoleEffect] = []
        if template.isEmpty {
            (preview.result, preview.error, preview.segment, preview.segmentError) = (nil, nil, nil, nil)
        } else {
            effects.append(.previewCustomer(generation: preview.generation, template: template, rowID: preview.rowID))
            if let rows = preview.segmentRows, let customers = state.customers {
                effects.append(
                    .previewSegment(
                        generation: preview.generation, template: template, rows: rows, customers: customers))
            }
        }
        state.screens[last] = .preview(preview)
        return effects
    }
}
