"""For you: each reader's signals, their small model, the personal ranking with its reasons, and its evaluation."""
