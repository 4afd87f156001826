from sitroom.read.page import Page
from sitroom.records import Document


def recognise(page: Page) -> bool:
    return False


def read(page: Page) -> Document:
    raise NotImplementedError
