extension ModelCompiler {
    /// Checks the `predict` section (SPEC §14): fields are declared attributes
    /// of type string, bool or strings, number attributes with bins, or
    /// `stage`; bins are finite, strictly increasing and only for number
    /// attributes; the limits are whole numbers ≥ 1.
    mutating func checkPredict(_ predict: PredictSettings) {
        var types: [String: AttributeType] = [:]
        for attribute in definition.attributes where types[attribute.name] == nil {
            types[attribute.name] = attribute.type
        }
        let hasStages = definition.stages != nil
        if let fields = predict.fields {
            var seen: Set<String> = []
            for (i, name) in fields.enumerated() {
                let path = "predict.fields".indexed(i)
                if !seen.insert(name).inserted {
                    faults.fault(path, "field \"\(name)\" is listed twice")
                    continue
                }
                if name == WinFields.stageField && hasStages { continue }
                guard let type = types[name] else {
                    faults.fault(
                        path,
                        name == WinFields.stageField
                            ? "the model has no stages, so there is no field \"stage\""
                            : "unknown attribute \"\(name)\"")
                    continue
                }
                if type == .number && predict.bins[name] == nil {
                    faults.fault(path, "number attribute \"\(name)\" needs bins (predict.bins.\(name))")
                }
            }
        }
        for name in predict.bins.keys.sorted() {
            let path = "predict.bins".joined(name)
            guard let type = types[name] else {
                faults.fault(path, "unknown attribute \"\(name)\"")
                continue
            }
            guard type == .number else {
                faults.fault(path, "bins are for number attributes; \"\(name)\" is \(type.valueDescription)")
                continue
            }
            let edges = predict.bins[name] ?? []
            if edges.isEmpty { faults.fault(path, "expected at least one edge") }
            for (j, edge) in edges.enumerated() {
                if !edge.isFinite {
                    faults.fault(path.indexed(j), "expected a finite number")
                } else if j > 0, edges[j - 1].isFinite, !(edge > edges[j - 1]) {
                    faults.fault(
                        path.indexed(j),
                        "edges must be strictly increasing: \(formatNumber(edge)) follows \(formatNumber(edges[j - 1]))")
                }
            }
        }
        if let n = predict.minExamples, n < 1 {
            faults.fault("predict.min_examples", "expected a whole number >= 1")
        }
        if let n = predict.maxFactors, n < 1 {
            faults.fault("predict.max_factors", "expected a whole number >= 1")
        }
    }
}
