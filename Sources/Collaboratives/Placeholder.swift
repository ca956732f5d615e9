// Replaced by the domain model.
