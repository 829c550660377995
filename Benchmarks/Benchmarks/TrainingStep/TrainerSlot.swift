import NeuralNetwork

/// The trainer of one benchmark: its setup hook creates it and its teardown releases it, so that
/// one trainer, with its process-wide BLAS thread count and its worker threads, is alive at a time.
final class TrainerSlot {
    var trainer: BatchTrainer?
}
