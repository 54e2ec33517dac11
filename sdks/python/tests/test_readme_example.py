import os
import pathlib
import re
import subprocess
import sys

from conftest import BASE_URL, new_key


def test_the_readmes_example_runs_against_the_server():
    example = pathlib.Path(__file__).parents[1] / "examples" / "quickstart.py"
    env = {**os.environ, "INTERFLOW_API_KEY": new_key(), "INTERFLOW_BASE_URL": BASE_URL}
    output = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.search(r"^message msg_\w+: (sent|queued)$", output, re.M)
    assert re.search(r"^customer \w+ 5511987654321$", output, re.M)
    assert re.search(r"^422 VALIDATION_ERROR: name", output, re.M)
