"""Data files shipped with pynet (read them through :mod:`pynet.datasets`).

* ``iris.csv`` -- Fisher's Iris data, 150 rows; header line ``150,4,<names>``.
* ``digits.csv.gz`` -- UCI optical-recognition digits (test set), 1797 rows of
  64 pixel counts (0..16) followed by the class label.

Both files come unchanged from scikit-learn's distribution; see
``ATTRIBUTION.md`` for sources, licence and citations.
"""
