import Datasets
import Deflate
import Foundation
import FuzzSupport
import LinearAlgebra
import NeuralNetwork

/// Writes the seed corpora, small valid files of each kind, to `Seeds/<harness>/` (or under the
/// directory given as the first argument), every one made by the library itself:
///
/// - FuzzIDXFile: a 2×2×2 image file and a label file, raw and gzip, and empty ones;
/// - FuzzCSVReader: Kaggle-layout CSV with and without a header, unlabelled rows, and quoting,
///   spaces, CRLF line ends and a byte-order mark;
/// - FuzzTabularCSV: tables with a header row over the harness's columns (a, b, y, z, w): labels,
///   quoting with a BOM and CRLF, columns in another order, inputs alone, numeric labels;
/// - FuzzModelFile: a 3-2-2 classifier, a 3-2-1 regressor and a 3-2-3 autoencoder, each trained
///   one epoch, and a bare safetensors file;
/// - FuzzCheckpoint: checkpoints of those runs (`Checkpointing(path:every:)`), one stopped inside
///   its first epoch and one with early stopping, on ``SyntheticTrainingData``.
///
/// FuzzNPYArray's seeds are written by NumPy itself (`Seeds/make-npy-seeds.py`), since the library
/// reads `.npy` files but does not write them.
///
/// The seeds are committed, so this is only needed when a format changes: from Fuzz/, after
/// `bash ../scripts/fuzz.sh --build-only`, run `.build/release/MakeSeeds Seeds`.
///
/// It is built with the harnesses, so libFuzzer supplies its `main`; it does its work in
/// `LLVMFuzzerInitialize`, which libFuzzer calls first, and exits before any fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func makeSeeds(
    _ argumentCount: UnsafeMutablePointer<CInt>?,
    _ arguments: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    do {
        try MakeSeeds.run(root: CommandLine.arguments.dropFirst().first ?? "Seeds")
    } catch {
        FileHandle.standardError.write(Data("MakeSeeds: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

/// Never called: `makeSeeds` exits first. libFuzzer's `main` needs the symbol.
@_cdecl("LLVMFuzzerTestOneInput")
public func makeSeedsTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt { 0 }

enum MakeSeeds {
    static func run(root: String) throws {
        try writeIDXSeeds(to: root + "/FuzzIDXFile")
        try writeCSVSeeds(to: root + "/FuzzCSVReader")
        try writeTableSeeds(to: root + "/FuzzTabularCSV")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("make-seeds-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try writeModelAndCheckpointSeeds(models: root + "/FuzzModelFile", checkpoints: root + "/FuzzCheckpoint", scratch: scratch)
    }

    static func write(_ bytes: [UInt8], _ directory: String, _ name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
        print("\(directory)/\(name): \(bytes.count) bytes")
    }

    static func writeIDXSeeds(to directory: String) throws {
        let images = IDXFile(images: [0, 64, 128, 255, 1, 2, 3, 4], count: 2, height: 2, width: 2)
        let labels = IDXFile(labels: [3, 9])
        for (name, file) in [("images-2x2x2", images), ("labels-2", labels),
                             ("images-0x1x1", IDXFile(images: [], count: 0, height: 1, width: 1)),
                             ("labels-0", IDXFile(labels: []))] {
            try write(file.encoded(), directory, name + ".idx")
            try write(Zlib.gzip(file.encoded()), directory, name + ".idx.gz")
        }
    }

    static func writeCSVSeeds(to directory: String) throws {
        let seeds = [
            "with-header.csv": "label,pixel1,pixel2,pixel3,pixel4\n0,0,64,128,255\n1,1,2,3,4\n2,255,0,0,7\n",
            "without-header.csv": "0,0,64,128,255\n1,1,2,3,4\n2,255,0,0,7",
            "unlabelled.csv": "0,128,255\n3,2,1\n",
            "one-pixel.csv": "label,pixel1\n255,0\n0,255\n17,17\n",
            "quoted-spaces-crlf-bom.csv": "\u{FEFF}\"label\",\"pixel1\",\"pixel2\",\"pixel3\",\"pixel4\"\r\n"
                + "\"1\", 12 ,12.0,\"0\",-0\r\n\r\n  \r\n2,1,1,1,1\r\n",
        ]
        for (name, text) in seeds.sorted(by: { $0.key < $1.key }) { try write(Array(text.utf8), directory, name) }
    }

    static func writeTableSeeds(to directory: String) throws {
        let seeds = [
            "classifier.csv": "a,b,y,w,z\n1.5,2,cat,1,0.5\n-3,4e1,dog,0.5,1\n0,0.25,cat,2,-2\n7,-1,bird,1,3\n",
            "quoted-bom-crlf.csv": "\u{FEFF}\"a\",\"b, c\",y,\"w\",z\r\n\" 1 \",\"2\",3,1,4\r\n\r\n\"5\",6,\"7\",0,8\r\n",
            "named-columns.csv": "b,y,a,z,w,extra\n1,2,3,4,1,x\n5,6,7,8,1,\"say \"\"hi\"\"\"\n\n9,10,11,12,0.5,z\n13,14,15,16,2,q\n",
            "inputs.csv": "a,b\n1,2\n3,4\n5,6\n",
            "numeric-labels.csv": "a,y\n1,10\n2,2\n3,1.0\n4,1\n5,-0.5\n6,nan\n",
        ]
        for (name, text) in seeds.sorted(by: { $0.key < $1.key }) { try write(Array(text.utf8), directory, name) }
    }

    static func writeModelAndCheckpointSeeds(models: String, checkpoints: String, scratch: String) throws {
        let data = SyntheticTrainingData(sampleCount: 8, featureCount: 3)
        var configuration = TrainingConfiguration()
        configuration.hiddenLayerSizes = [2]
        configuration.maxEpochs = 1
        configuration.batchSize = 4
        configuration.threads = 1
        configuration.seed = 7

        // A classifier (Adam: both moments), with class names, checkpointed after its epoch.
        var classifier = MLPClassifier(configuration: configuration)
        classifier.classNames = ["even", "odd"]
        classifier.checkpointing = Checkpointing(path: scratch + "/classifier.checkpoint", every: 1)
        try classifier.fit(data.features, labels: data.labels)
        try classifier.save(to: scratch + "/classifier.safetensors")

        // A regressor trained with SGD (one moment).
        var sgd = configuration
        sgd.optimizer = .sgd
        var regressor = MLPRegressor(configuration: sgd)
        regressor.checkpointing = Checkpointing(path: scratch + "/regressor.checkpoint", every: 1)
        try regressor.fit(data.features, targets: data.targets(outputCount: 1))
        try regressor.save(to: scratch + "/regressor.safetensors")

        // An autoencoder.
        var autoencoder = Autoencoder(configuration: configuration)
        autoencoder.checkpointing = Checkpointing(path: scratch + "/autoencoder.checkpoint", every: 1)
        try autoencoder.fit(data.features)
        try autoencoder.save(to: scratch + "/autoencoder.safetensors")

        // A classifier stopped after its first batch: the checkpoint records a position inside the epoch.
        var stopped = MLPClassifier(configuration: configuration)
        let signal = StopSignal()
        signal.raise()
        stopped.stopSignal = signal
        stopped.checkpointing = Checkpointing(path: scratch + "/classifier-mid-epoch.checkpoint", every: 1)
        try stopped.fit(data.features, labels: data.labels)

        // Early stopping, two epochs: the checkpoint holds the best epoch's weights.
        var early = configuration
        early.earlyStopping = true
        early.validationFraction = 0.25
        early.maxEpochs = 2
        var earlyStopped = MLPClassifier(configuration: early)
        earlyStopped.checkpointing = Checkpointing(path: scratch + "/classifier-early-stopping.checkpoint", every: 1)
        try earlyStopped.fit(data.features, labels: data.labels)

        for name in ["classifier", "regressor", "autoencoder"] {
            try write(Array(try Data(contentsOf: URL(fileURLWithPath: "\(scratch)/\(name).safetensors"))),
                      models, "\(name)-3-2.safetensors")
        }
        let bare = SafeTensors(
            tensors: [.init(name: "weight", shape: [2, 2], values: [1, -2, 0.5, .infinity]),
                      .init(name: "empty", shape: [0], values: [])],
            metadata: ["format": "swift-mlp", "note": "not a model"])
        try write(bare.serialized(), models, "bare.safetensors")

        for name in ["classifier", "regressor", "autoencoder", "classifier-mid-epoch", "classifier-early-stopping"] {
            try write(Array(try Data(contentsOf: URL(fileURLWithPath: "\(scratch)/\(name).checkpoint"))),
                      checkpoints, "\(name)-3-2.checkpoint")
        }
    }
}
