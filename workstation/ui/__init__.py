"""The Qt layer: thin views over the Qt-free core."""
