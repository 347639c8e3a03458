extension LeadBatch {
    /// Empties the batch, keeping its columns' memory, so that a caller
    /// scoring one lead at a time (``OneLeadScratch``) appends the next lead
    /// without allocating. The batch is then as `init(model:)` left it, with
    /// `keepsRuleSums` and the symbol limit unchanged; with `keepingSymbols`,
    /// its local symbols and event classes stay numbered as they were (a
    /// symbol's number never shows in a result, only whether two are equal),
    /// so that a caller's interner of them stays valid.
    mutating func removeAll(keepingSymbols: Bool = false) {
        count = 0
        ids.empty()
        stages.empty()
        numbers.removeLast(toCount: 0)
        bools.removeLast(toCount: 0)
        strings.removeLast(toCount: 0)
        setRanges.removeLast(toCount: 0)
        setMembers.removeLast(toCount: 0)
        if !keepingSymbols {
            if !localSymbols.isEmpty { localSymbols.removeAll(keepingCapacity: true) }
            localMasks.removeLast(toCount: 0)
            liveLocalSymbols = 0
        }
        eventStart.removeLast(toCount: 1)
        eventRoute.removeLast(toCount: 0)
        eventAt.removeLast(toCount: 0)
        eventValue.removeLast(toCount: 0)
        leadReference.removeLast(toCount: 0)
        leadDecayReady.removeLast(toCount: 0)
        leadSpans.removeLast(toCount: 0)
        ruleSumStart.removeLast(toCount: 1)
        ruleSumRule.removeLast(toCount: 0)
        ruleSumValue.removeLast(toCount: 0)
        frequencyStart.removeLast(toCount: 1)
        frequencyRule.removeLast(toCount: 0)
        frequencyAt.removeLast(toCount: 0)
        properties.removeLast(toCount: 0)
        propertySetMembers.removeLast(toCount: 0)
        guard !keepingSymbols else { return }
        // Classes past the model's are the wildcard types this batch met.
        let modelClasses = model.events.rules.count
        if classRules.count > modelClasses {
            classRules.removeSubrange(modelClasses...)
            classRoutes.removeSubrange(modelClasses...)
            classFrequencyRules.removeSubrange(modelClasses...)
        }
        if !localTypes.isEmpty { localTypes.removeAll(keepingCapacity: true) }
    }
}
