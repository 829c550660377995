import Testing
@testable import Performance

@Suite("Scaling model")
struct ScalingModelTests {
    let network = ScalingModel.Network(name: "test", bytesPerSecond: 1e9, latency: 1e-5)
    let model = ScalingModel(computeSecondsPerSample: 1e-5, bytesPerReduction: 1e6, sampleCount: 60_000)

    @Test("ring allreduce and ordered allgather costs follow their closed forms")
    func reductionCosts() {
        #expect(model.reductionSeconds(hosts: 1, network: network, ordered: false) == 0)
        // 2(P−1)·α + 2(P−1)/P · M/B with P = 4: 6e-5 + 1.5e-3.
        #expect(abs(model.reductionSeconds(hosts: 4, network: network, ordered: false) - 1.56e-3) < 1e-12)
        // (P−1)·α + (P−1)·M/B with P = 4: 3e-5 + 3e-3.
        #expect(abs(model.reductionSeconds(hosts: 4, network: network, ordered: true) - 3.03e-3) < 1e-12)
    }

    @Test("one host is the measured compute; more hosts split it and add a reduction per batch")
    func epochs() {
        let one = model.epoch(hosts: 1, batchSize: 128, network: network, ordered: true)
        #expect(abs(one.seconds - 0.6) < 1e-12 && abs(one.efficiency - 1) < 1e-12)
        // 469 batches of 128; 2 hosts: 0.3 s of compute + 469 · (1e-5 + 1e-3) s.
        let two = model.epoch(hosts: 2, batchSize: 128, network: network, ordered: true)
        #expect(abs(two.seconds - (0.3 + 469 * 1.01e-3)) < 1e-9)
        #expect(abs(two.efficiency - 0.6 / (2 * two.seconds)) < 1e-12)
        #expect(model.table(network: network).rows.count == ScalingModel.batchSizes.count * 2)
    }
}
