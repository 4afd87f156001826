"""One module per outlet layout (and `generic` for the layouts every outlet shares); each
has `recognise(page) -> bool` and `read(page) -> Document`, registered in read/registry.py."""
