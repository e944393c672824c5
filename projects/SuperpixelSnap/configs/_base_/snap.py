# What every SuperpixelSnap config adds to the mmwsis config it inherits: this project,
# imported from outside mmwsis (run from the repository root, which holds `projects/`).
custom_imports = dict(imports=['projects.SuperpixelSnap.superpixel_snap'],
                      allow_failed_imports=False)
