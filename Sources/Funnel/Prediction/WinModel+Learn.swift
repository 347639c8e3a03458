/// Learning one example in one pass over the lead's attributes: what
/// ``WinModel/learn(_:)`` runs, at a few hundred nanoseconds an example.
///
/// The checks come first, in the order ``WinModel/forget(_:)`` makes them
/// (the stage, each declared attribute's type in declaration order, a lost
/// example's stage), so that a bad example changes nothing; the field
/// values are held in a stack buffer meanwhile, not in arrays, and are then
/// counted straight into their tables.
extension WinModel {
    mutating func learnChecked(_ example: WinExample) throws(WinExampleError) {
        let compiled = model.compiled
        let lead = example.lead
        let declared = compiled.definition.attributes
        let outcome = example.outcome
        let fieldOfAttribute = fields.fieldOfAttribute
        try withUnsafeTemporaryAllocation(of: LeadValue?.self, capacity: declared.count) {
            (values) throws(WinExampleError) in
            values.initialize(repeating: nil)
            defer { values.deinitialize() }
            do throws(LeadError) {
                _ = try compiled.checkedStage(lead.stage)
                for (i, declaration) in declared.enumerated() {
                    guard let value = lead.attributes[declaration.name] else { continue }
                    guard value.fits(declaration.type) else {
                        throw LeadError(
                            path: "attributes".joined(declaration.name),
                            message: "expected \(declaration.type.valueDescription), found \(value.kindDescription)")
                    }
                    if fieldOfAttribute[i] >= 0 { values[i] = value }
                }
            } catch {
                throw WinExampleError(path: "lead".joined(error.path), message: error.message)
            }
            let through =
                fields.hasStages ? (outcome == .won ? fields.path.count : try lostThrough(example)) : 0
            // Checked: from here on nothing fails.
            if outcome == .won { won += 1 } else { lost += 1 }
            for i in 0..<declared.count {
                let f = fieldOfAttribute[i]
                guard f >= 0, let value = values[i] else { continue }
                switch (fields.fields[f].kind, value) {
                case (.string, .string(let text)):
                    let id = counts[f].intern(raw: text)
                    counts[f].add(outcome, Int(id), 1)
                case (.bool, .bool(let b)):
                    counts[f].add(outcome, b ? 1 : 0, 1)
                case (.number(let edges), .number(let x)):
                    let bin = edges.withUnsafeBufferPointer { WinFields.bin(x, $0) }
                    counts[f].add(outcome, bin, 1)
                case (.strings, .strings(let members)):
                    countMembers(members, field: f, outcome)
                default:
                    continue  // null: no value
                }
            }
            if fields.stageFieldIndex >= 0 {
                for k in 0..<through { counts[fields.stageFieldIndex].add(outcome, k, 1) }
            }
        }
    }

    /// Counts each distinct member's comparison key once (members that differ
    /// only in spelling are one value).
    private mutating func countMembers(_ members: [String], field f: Int, _ outcome: WinExample.Outcome) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: members.count) { ids in
            var distinct = 0
            for member in members {
                let id = counts[f].intern(raw: member)
                var repeated = false
                for j in 0..<distinct where ids[j] == id {
                    repeated = true
                    break
                }
                if repeated { continue }
                ids[distinct] = id
                distinct += 1
                counts[f].add(outcome, Int(id), 1)
            }
        }
    }
}

extension LeadValue {
    /// Whether this value may stand for an attribute declared `type`: as
    /// `CompiledModel.checkedAttributes` decides (null fits every type).
    func fits(_ type: AttributeType) -> Bool {
        switch (type, self) {
        case (_, .null): true
        case (.number, .number(let x)): x.isFinite
        case (.bool, .bool), (.string, .string), (.strings, .strings): true
        default: false
        }
    }
}
