"""Use cases. Each public function is one transaction; states call these, never the models directly."""
