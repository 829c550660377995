extension VisualizeSection {
    /// Section C1's text, as functions of the results.
    enum Narrative {
        static func title(_ results: Results) -> String { "C1. Samples of each class (\(results.datasetName))" }

        static func description(_ results: Results) -> String {
            "The first \(results.configuration.samplesPerClass) images of each class in the \(results.datasetName) training file, "
                + "one class per row (\(results.image.width)×\(results.image.height) pixels, shown inverted: dark ink on white)."
        }

        static func labeledCaption(_ results: Results) -> String {
            "\(results.datasetName): \(results.configuration.samplesPerClass) samples per class, with class names"
        }

        static func imageCaption(_ results: Results) -> String {
            "\(results.datasetName): \(results.configuration.samplesPerClass) samples per class (PNG)"
        }
    }
}
