"""rasa-sdk actions: thin adapters between the conversation and the `tramites` domain."""
