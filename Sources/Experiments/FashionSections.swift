/// Sections C1–C5 on Fashion-MNIST, loaded once; C5 reuses C2's classifiers and C4's autoencoders.
public enum FashionSections {
    /// Runs C1–C5 in order, handing each finished section to `finished`.
    public static func run(_ context: ExperimentContext, finished: (SectionResult) throws -> Void) throws {
        let data = try FashionData.load(context)
        try finished(VisualizeSection.render(VisualizeSection.run(context, data: data)))
        let activations = try ActivationsSection.run(context, data: data)
        try finished(ActivationsSection.render(activations, context: context))
        try finished(GridSearchSection.render(try GridSearchSection.run(context, data: data), context: context))
        var autoencoderConfiguration = AutoencoderSection.Configuration.defaults(quick: context.quick)
        autoencoderConfiguration.includeOriginalRate = true
        let autoencoders = try AutoencoderSection.run(context, data: data, configuration: autoencoderConfiguration)
        try finished(AutoencoderSection.render(autoencoders, context: context))
        let features = try FeaturesSection.run(context, data: data, autoencoders: autoencoders, raw: activations)
        try finished(FeaturesSection.render(features, context: context))
    }
}
