"""One file per image of pseudo-label work done: what makes a killed run resumable."""
import os
import os.path as osp
import pickle
import tempfile
from typing import Any, Iterable, List


class ResultCache:
    """``<root>/<img_id>.pkl`` files, each written atomically (temp file + rename).

    A run killed at any moment leaves only whole files, so a rerun skips exactly the
    images that were finished and never duplicates one.
    """

    def __init__(self, root: str) -> None:
        self.root = root

    def path(self, img_id: str) -> str:
        return osp.join(self.root, f'{img_id}.pkl')

    def has(self, img_id: str) -> bool:
        return osp.isfile(self.path(img_id))

    def put(self, img_id: str, value: Any) -> None:
        os.makedirs(self.root, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.root, prefix='.tmp-')
        try:
            with os.fdopen(handle, 'wb') as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path(img_id))
        except BaseException:
            if osp.exists(tmp):
                os.remove(tmp)
            raise

    def get(self, img_id: str) -> Any:
        with open(self.path(img_id), 'rb') as f:
            return pickle.load(f)

    def missing(self, img_ids: Iterable[str]) -> List[str]:
        return [i for i in img_ids if not self.has(i)]
