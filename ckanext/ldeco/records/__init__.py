"""Records of a concept across themes: the rows of every conforming DataStore
resource, read through its column map and through the gating door."""
