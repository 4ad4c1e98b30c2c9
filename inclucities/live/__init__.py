"""Live screens: the hub that pushes each survey's payload to every open screen."""
