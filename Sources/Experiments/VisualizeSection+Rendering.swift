extension VisualizeSection {
    /// Section C1 as a paragraph, the labelled SVG and the PNG, with their sizes for `results.json`.
    public static func render(_ results: Results) -> SectionResult {
        .drawn(key: key, title: Narrative.title(results), runSeconds: results.seconds) { result in
            result.paragraph(Narrative.description(results))
            result.figure(svg: results.grid.svg(), fileName: "\(results.filePrefix)-samples.svg",
                          caption: Narrative.labeledCaption(results))
            result.figure(png: results.image, fileName: "\(results.filePrefix)-samples.png", caption: Narrative.imageCaption(results))
            result.numbers = ["visualize.pngWidth": Double(results.image.width), "visualize.pngHeight": Double(results.image.height)]
            result.configuration = [("Dataset", results.datasetName),
                                    ("Samples per class", String(results.configuration.samplesPerClass)),
                                    ("Scale", "\(results.configuration.scale)×")]
        }
    }
}
