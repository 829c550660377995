/// A section's independent fits as a list of work items: ``run(_:)`` runs one item, and
/// ``gather(_:)`` combines the items' results, given in the order of ``workItems()``.
///
/// A ``WorkRunner`` executes the items in this process, one after another or on several threads.
/// An item's result depends on nothing but the item and the value's own settings (each fit takes
/// its seed from them), so the items could as well be spread over processes, their results sent
/// back and gathered on one of them, in item order.
///
///     let results = try WorkRunner().run(fits)   // fits.gather(fits.workItems().map(fits.run))
public protocol IndependentFits: Sendable {
    /// What tells one fit from the others: an activation and an initialisation, a candidate and a fold.
    associatedtype WorkItem: Sendable
    /// What one fit produced.
    associatedtype ItemResult: Sendable
    /// What the section keeps of all the fits.
    associatedtype Results
    /// The error a fit can throw; `Never` when fits cannot fail.
    associatedtype Failure: Error

    /// Every fit, in the order in which ``gather(_:)`` takes their results.
    func workItems() -> [WorkItem]

    /// Runs one fit.
    func run(_ item: WorkItem) throws(Failure) -> ItemResult

    /// Combines the results of every item of ``workItems()``, in that order.
    func gather(_ results: [ItemResult]) -> Results
}
