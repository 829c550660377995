import FuzzSupport
import NeuralNetwork

/// Feeds the input to the safetensors reader and to the model-file loader, as
/// `SavedModel.load(from:)` reads a file: `SafeTensors.parse`, then `SavedModel.decode` (the
/// `__metadata__` keys `format`, `model_kind`, `configuration`, `layer_sizes`, …). A container
/// that parses must serialise and parse back to the same tensors and metadata; a model that
/// loads then predicts (see ``LoadedModelUse``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    do {
        let file = try SafeTensors.parse(bytes)
        let again = try SafeTensors.parse(file.serialized())
        precondition(again.metadata == file.metadata, "the metadata changed through serialized()")
        precondition(sameTensors(again.tensors, file.tensors), "the tensors changed through serialized()")
    } catch {
        _ = error.description
    }
    do {
        let saved = try SavedModel.decode(bytes)
        _ = saved.kind.withArticle
        LoadedModelUse.exercise(saved)
    } catch {
        _ = error.description
    }
    return 0
}

/// Whether two tensor lists have the same names, shapes and value bits (NaNs compare by bits).
private func sameTensors(_ first: [SafeTensors.Tensor], _ second: [SafeTensors.Tensor]) -> Bool {
    guard first.count == second.count else { return false }
    for (one, other) in zip(first, second) {
        guard one.name == other.name, one.shape == other.shape,
              one.values.map(\.bitPattern) == other.values.map(\.bitPattern) else { return false }
    }
    return true
}
