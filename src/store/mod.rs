//! User progress on disk: the append-only review log (the source of truth), the snapshot derived
//! from it, and `config.ron`. The only module that writes user data; every write is atomic.
