//! Record id generators, passed in as values (no global state).

/// Produces WARC record ids of the form `<urn:uuid:…>`.
pub trait IdGen: Send {
    /// The next id.
    fn next_id(&mut self) -> String;
}

/// Random (v4) UUID ids.
#[derive(Debug, Default, Clone, Copy)]
pub struct UuidIds;

impl IdGen for UuidIds {
    fn next_id(&mut self) -> String {
        format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
    }
}

/// Deterministic ids for tests: `<urn:uuid:00000000-0000-4000-8000-{counter}>`.
#[derive(Debug, Default, Clone)]
pub struct SeqIds {
    next: u64,
}

impl IdGen for SeqIds {
    fn next_id(&mut self) -> String {
        self.next += 1;
        format!("<urn:uuid:00000000-0000-4000-8000-{:012x}>", self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_urn_uuids() {
        let id = UuidIds.next_id();
        assert!(id.starts_with("<urn:uuid:") && id.ends_with('>'));
        assert_eq!(id.len(), 47);
        let mut s = SeqIds::default();
        assert_ne!(s.next_id(), s.next_id());
    }
}
