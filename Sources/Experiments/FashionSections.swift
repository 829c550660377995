/// Sections C1–C5 on Fashion-MNIST, loaded once; C5 reuses C2's classifiers and C4's autoencoders.
public enum FashionSections {
    /// The keys of C1–C5, in order.
    public static let keys = [VisualizeSection.key, ActivationsSection.key, GridSearchSection.key, AutoencoderSection.key,
                              FeaturesSection.key]

    /// Runs C1–C5 in order, handing each finished section to `finished`.
    public static func run(_ context: ExperimentContext, finished: (SectionResult) throws -> Void) throws {
        try run(context, runs: { _ in true }, restored: Restored(), passedOver: { _ in }) { section, _ in try finished(section) }
    }

    /// What a finished section leaves for a later one (both for C5).
    enum CarryOver {
        /// C2's classifiers, whose raw-pixel accuracies C5 compares with.
        case activations(ActivationsSection.Results)
        /// C4's autoencoders, whose codes C5 classifies.
        case encoders(FeaturesSection.Encoders)
    }

    /// What C5 needs of C2 and C4 when they do not run in this process (an earlier one saved it).
    struct Restored {
        var activations: ActivationsSection.Results?
        var encoders: FeaturesSection.Encoders?
    }

    /// Runs, in order, the sections of C1–C5 whose key `runs` accepts, handing each finished
    /// section to `finished` with what it leaves for C5; each other section's key goes to
    /// `passedOver` in its place. Fashion-MNIST is loaded only when a section runs. When C5 runs
    /// without C2 or C4, `restored` must hold their results.
    static func run(
        _ context: ExperimentContext, runs: (String) -> Bool, restored: Restored, passedOver: (String) throws -> Void,
        finished: (SectionResult, CarryOver?) throws -> Void
    ) throws {
        guard keys.contains(where: runs) else {
            for key in keys { try passedOver(key) }
            return
        }
        let data = try FashionData.load(context)
        if runs(VisualizeSection.key) {
            try finished(VisualizeSection.render(VisualizeSection.run(context, data: data)), nil)
        } else {
            try passedOver(VisualizeSection.key)
        }
        var activations = restored.activations
        if runs(ActivationsSection.key) {
            let results = try ActivationsSection.run(context, data: data)
            activations = results
            try finished(ActivationsSection.render(results, context: context), .activations(results))
        } else {
            try passedOver(ActivationsSection.key)
        }
        if runs(GridSearchSection.key) {
            try finished(GridSearchSection.render(try GridSearchSection.run(context, data: data), context: context), nil)
        } else {
            try passedOver(GridSearchSection.key)
        }
        var encoders = restored.encoders
        if runs(AutoencoderSection.key) {
            var configuration = AutoencoderSection.Configuration.defaults(quick: context.quick)
            configuration.includeOriginalRate = true
            let autoencoders = try AutoencoderSection.run(context, data: data, configuration: configuration)
            encoders = autoencoders.encoders
            try finished(AutoencoderSection.render(autoencoders, context: context), .encoders(autoencoders.encoders))
        } else {
            try passedOver(AutoencoderSection.key)
        }
        if runs(FeaturesSection.key) {
            guard let activations, let encoders else {
                preconditionFailure("C5 runs after C2 and C4, or with their results restored")
            }
            let features = try FeaturesSection.run(context, data: data, encoders: encoders, raw: activations)
            try finished(FeaturesSection.render(features, context: context), nil)
        } else {
            try passedOver(FeaturesSection.key)
        }
    }
}
