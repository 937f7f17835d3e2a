"""A reader's library: collections with notes and read state, and the import of reference files into them."""
