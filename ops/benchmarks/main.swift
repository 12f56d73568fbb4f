print("butler-bench: not yet")
