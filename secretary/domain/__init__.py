"""The domain: model, errors and the pure rules (cadence, deadlines, planning, interchange). No I/O."""
