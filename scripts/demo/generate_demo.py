#!/usr/bin/env python3
"""Generate the input batches of Chronicle's demo history.

    python3 scripts/demo/generate_demo.py OUT_DIR             # write, check, schema-validate
    python3 scripts/demo/generate_demo.py OUT_DIR --no-schema-check
    python3 scripts/demo/generate_demo.py --check-only DIR    # check an existing directory

Writes into OUT_DIR:

* ``000.ndjson``, ``001.ndjson``, ... one file per batch, in recording order. Each
  line is an *input* event of EVENTS.md (id, type, occurredAt, recordedBy, data;
  never recordedAt/seq/stream/hash). A batch is what one member of programme staff
  entered at one sitting.
* ``batches.tsv``: ``NNN<TAB>recordedAt`` per batch (RFC 3339 UTC, strictly
  increasing). Import batch NNN with that time as the store's clock
  (``CHRONICLE_NOW``); every occurredAt in it is on or before that day.

The history is a three-year programme modelled on the seed evaluation report
(``../shared/seed/000_d5560fa8e306f5b0.txt``): three Collaboratives (Oldham,
Worcestershire, East Sussex) from 2021-09-01 to 2024-08-31. The output is
deterministic: fixed seeds, and ids are uuid5 of a fixed namespace and a readable
key, so re-running gives byte-identical files.

After writing, the files are re-read and an independent checker replays them batch
by batch, as a store would receive them, and fails loudly (exit 1) if any rule of
EVENTS.md would refuse a batch. Then every line is validated against
``Schemas/envelope/line-input.v1.schema.json`` with ``scripts/validate_json.py``
(the repository is found from this file's location, the working directory, or
--repo / CHRONICLE_REPO; needs the ``jsonschema`` package, else the schema check is
skipped with a warning unless --require-schema-check).

Standard library only; Python 3.11.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20210901
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://chronicle.example/demo/v1")

D = dt.date.fromisoformat
PROGRAMME_START = D("2021-09-01")
HISTORY_END = D("2024-08-31")
LAST_RECORDING = D("2024-10-31")
YEAR_STARTS = [D("2021-09-01"), D("2022-09-01"), D("2023-09-01"), D("2024-09-01")]


def find_repo(explicit: str | None) -> Path | None:
    if explicit or os.environ.get("CHRONICLE_REPO"):
        return Path(explicit or os.environ["CHRONICLE_REPO"])
    here = Path(__file__).resolve()
    for p in [*here.parents, Path.cwd(), *Path.cwd().parents]:
        if (p / "scripts" / "validate_json.py").is_file() and (p / "Schemas").is_dir():
            return p
    return None


def programme_year(day: dt.date) -> int:
    for i in range(3):
        if YEAR_STARTS[i] <= day < YEAR_STARTS[i + 1]:
            return i + 1
    raise ValueError(f"{day} outside the programme")


class GenerationError(Exception):
    pass


def fail(message: str) -> None:
    raise GenerationError(message)


# --------------------------------------------------------------------------
# The world: collaboratives, people, memberships, roles, sub-groups
# --------------------------------------------------------------------------

COLLABS = {
    "oldham": ("Oldham Collaborative", "Oldham Council Education Service"),
    "worcestershire": ("Worcestershire Collaborative", "Worcestershire Children First Education Services"),
    "east-sussex": ("East Sussex Collaborative", "East Sussex County Council Education Service"),
}
ALL_COLLABS = list(COLLABS)

# slug | sector | organisation  (names are generated, fictional; so are schools and charities)
PEOPLE_TABLE = """
staff-01|programme-staff|The RSA
staff-02|programme-staff|The RSA
staff-03|programme-staff|The RSA
staff-04|programme-staff|The RSA
staff-05|programme-staff|The RSA
staff-06|programme-staff|The RSA
staff-07|programme-staff|The RSA
staff-08|programme-staff|The RSA
staff-09|programme-staff|The RSA
ol-01|la-education|Oldham Council Education Service
ol-02|la-education|Oldham Council Education Service
ol-03|secondary-school|Failsworth Moor Academy
ol-04|secondary-school|Hollinwood Park High School
ol-05|special-school|Kingfisher Grange Special School
ol-06|primary-school|St Aidan's CE Primary School
ol-07|primary-school|Werneth Vale Primary School
ol-08|la-early-help|Oldham Council Early Help
ol-09|la-send-inclusion|Oldham Council SEND and Inclusion Team
ol-10|social-care|Oldham Children's Social Care
ol-11|health|Oldham School Nursing Service
ol-12|camhs|Oldham CAMHS
ol-13|educational-psychology|Oldham Educational Psychology Service
ol-14|parent-carer-forum|Oldham Parent Carer Forum
ol-15|voluntary-sector|Oldham Youth Partnership
ol-16|alternative-provision|Brookside Alternative Provision Academy
ol-17|virtual-school|Oldham Virtual School
ol-18|secondary-school|Royton Edge Academy
ol-19|primary-school|Saddleworth Brook Primary School
ol-20|la-education|Oldham Council Education Service
ol-21|secondary-school|Chadderton Heights School
ol-22|primary-school|Shaw Meadows Primary School
ol-23|la-education|Oldham Council Education Service
wo-01|la-education|Worcestershire Children First Education Services
wo-02|secondary-school|Severn Valley Learning Trust
wo-03|secondary-school|Malvern Ridge High School
wo-04|primary-school|Oakfield Primary School, Redditch
wo-05|primary-school|Wychavon Meadows Primary School
wo-06|alternative-provision|Riverside Alternative Provision Academy
wo-07|alternative-provision|Little Oaks Primary Support Centre
wo-08|health|Herefordshire and Worcestershire Health and Care NHS Trust
wo-09|camhs|Worcestershire CAMHS
wo-10|virtual-school|Worcestershire Virtual School
wo-11|educational-psychology|Worcestershire Educational Psychology Service
wo-12|social-care|Worcestershire Children First Social Care
wo-13|la-early-help|Worcestershire Children First Early Help
wo-14|parent-carer-forum|Worcestershire Parent Carer Forum
wo-15|la-send-inclusion|Worcestershire Children First SEND and Inclusion
wo-16|primary-school|Pershore Brook Primary School
wo-17|voluntary-sector|Worcestershire Youth Support Trust
wo-18|la-education|Worcestershire Children First Education Services
wo-19|la-send-inclusion|Worcestershire Children First SEND and Inclusion
wo-20|secondary-school|Kidderminster Heath Academy
wo-21|secondary-school|Bromsgrove Vale Academy
wo-22|la-education|Worcestershire Children First Education Services
wo-23|primary-school|Evesham Orchard Primary School
es-01|la-education|East Sussex County Council Education Service
es-02|primary-school|Ore Valley Primary School
es-03|primary-school|Eastbourne Downs Primary School
es-04|secondary-school|Bexhill Coast Academy
es-05|special-school|Saltmarsh Special School
es-06|virtual-school|East Sussex Virtual School
es-07|health|East Sussex Healthcare NHS Trust Children's Therapies
es-08|la-early-help|East Sussex Early Help
es-09|parent-carer-forum|East Sussex Parent Carer Forum
es-10|social-care|East Sussex Children's Social Care
es-11|camhs|East Sussex CAMHS
es-12|educational-psychology|East Sussex Educational Psychology Service
es-13|la-send-inclusion|East Sussex SEND and Inclusion Service
es-14|voluntary-sector|Sussex Family Support Network
es-15|secondary-school|Lewes Priory Fields Academy
es-16|la-education|East Sussex County Council Education Service
es-17|secondary-school|Hailsham Weald School
es-18|primary-school|Seaford Cliffs Primary School
"""

# collaborative | member | joined | left | reason | note
STINTS_TABLE = """
oldham|staff-01|2021-09-01|2023-08-31|left-organisation|National project lead left the RSA
oldham|staff-02|2021-09-01|2022-08-31|left-organisation|Director of Education left the RSA
oldham|staff-03|2021-09-06|2022-08-31|other|Year 1 action research phase completed
oldham|staff-06|2023-09-04|||
oldham|staff-09|2023-09-04|||
worcestershire|staff-01|2021-09-01|2023-08-31|left-organisation|National project lead left the RSA
worcestershire|staff-02|2021-09-01|2022-08-31|left-organisation|Director of Education left the RSA
worcestershire|staff-04|2021-09-06|2022-08-31|other|Year 1 action research phase completed
worcestershire|staff-07|2023-09-04|||
worcestershire|staff-09|2023-09-04|||
east-sussex|staff-01|2021-09-01|2023-08-31|left-organisation|National project lead left the RSA
east-sussex|staff-02|2021-09-01|2022-08-31|left-organisation|Director of Education left the RSA
east-sussex|staff-05|2021-09-06|2022-08-31|other|Year 1 action research phase completed
east-sussex|staff-08|2023-09-04|||
east-sussex|staff-09|2023-09-04|||
oldham|ol-01|2021-09-01|2023-01-06|left-organisation|Moved to a post in another local authority
oldham|ol-02|2021-09-15|||
oldham|ol-03|2021-10-01|||
oldham|ol-04|2021-10-01|2023-03-24|capacity|
oldham|ol-05|2021-10-06|||
oldham|ol-06|2021-10-06|2022-12-09|capacity|
oldham|ol-07|2021-10-11|2024-03-22|capacity|
oldham|ol-08|2021-10-01|||
oldham|ol-09|2021-10-01|||
oldham|ol-10|2021-10-13|2022-06-17|relevance|
oldham|ol-11|2021-10-13|||
oldham|ol-12|2021-10-20|2022-11-18|capacity|Service pressures; hopes to return
oldham|ol-12|2024-01-10|||
oldham|ol-13|2021-11-03|||
oldham|ol-14|2021-10-06|||
oldham|ol-15|2021-11-10|2023-06-02|relevance|
oldham|ol-16|2021-10-20|2022-09-30|left-organisation|
oldham|ol-17|2021-11-17|2022-03-04|capacity|
oldham|ol-18|2022-01-19|2023-12-15|capacity|
oldham|ol-19|2022-10-12|2024-02-16|relevance|
oldham|ol-20|2023-02-01|||
oldham|ol-21|2023-10-18|||
oldham|ol-22|2023-11-08|||
oldham|ol-23|2024-04-15|||
worcestershire|wo-01|2021-09-01|2023-04-21|left-organisation|Left Worcestershire Children First
worcestershire|wo-02|2021-10-04|||
worcestershire|wo-03|2021-10-04|2023-10-13|role-change|Appointed headteacher; no capacity to continue
worcestershire|wo-04|2021-10-06|2023-09-29|role-change|Appointed headteacher; no capacity to continue
worcestershire|wo-05|2021-10-06|||
worcestershire|wo-06|2021-10-11|||
worcestershire|wo-07|2021-10-11|||
worcestershire|wo-08|2021-10-13|||
worcestershire|wo-09|2021-10-13|||
worcestershire|wo-10|2021-10-20|||
worcestershire|wo-11|2021-10-20|2023-01-27|capacity|
worcestershire|wo-12|2021-10-20|2022-10-21|relevance|
worcestershire|wo-13|2021-11-01|2022-05-27|capacity|
worcestershire|wo-14|2021-10-06|2022-07-21|capacity|Recorded in November from the forum's email
worcestershire|wo-15|2021-10-04|2023-03-10|left-organisation|
worcestershire|wo-16|2021-11-23|2024-03-15|capacity|
worcestershire|wo-17|2021-11-23|2022-04-08|unknown|Stopped responding to invitations
worcestershire|wo-18|2023-07-17|||
worcestershire|wo-19|2023-07-17|||
worcestershire|wo-20|2022-10-18|||
worcestershire|wo-21|2023-11-15|||
worcestershire|wo-22|2023-10-04|||
worcestershire|wo-23|2024-01-17|||
east-sussex|es-01|2021-09-01|||
east-sussex|es-02|2021-10-05|||
east-sussex|es-03|2021-10-05|2024-03-01|left-organisation|
east-sussex|es-04|2021-10-05|2023-02-10|capacity|
east-sussex|es-05|2021-10-12|||
east-sussex|es-06|2021-10-12|||
east-sussex|es-07|2021-10-12|||
east-sussex|es-08|2021-10-19|2022-12-16|capacity|
east-sussex|es-09|2021-10-19|2022-07-22|capacity|
east-sussex|es-10|2021-10-19|2024-01-19|relevance|
east-sussex|es-11|2021-11-02|2022-11-25|capacity|
east-sussex|es-12|2021-11-25|||
east-sussex|es-13|2021-10-05|||
east-sussex|es-14|2021-11-25|2022-04-29|capacity|
east-sussex|es-15|2022-10-20|2023-06-09|capacity|
east-sussex|es-16|2022-11-01|||
east-sussex|es-17|2023-10-11|2024-08-30|left-organisation|Moved to a school outside the county
east-sussex|es-18|2024-02-07|||
"""

# member | day | field=value;...   (name=* : a generated new surname)
DETAILS_TABLE = """
ol-09|2022-09-05|name=*
ol-11|2023-04-03|organisation=Northern Care Alliance NHS Foundation Trust
es-01|2023-04-03|organisation=East Sussex County Council Education Division
wo-04|2023-09-01|organisation=Lickey Brook Primary School (headteacher)
wo-03|2023-09-01|organisation=Abberley Cross High School (headteacher)
ol-03|2024-01-08|organisation=Failsworth Moor Academy (Pennine Learning Trust)
"""

# collaborative | role | subgroup | member | start | end | appointment | succeeds | end reason
ROLES_TABLE = """
oldham|anchor||ol-01|2021-09-01|2023-01-06|formal||Left Oldham Council
oldham|anchor||ol-02|2023-01-06||self-appointed|ol-01|
worcestershire|anchor||wo-01|2021-09-01|2023-04-21|formal||Left Worcestershire Children First
worcestershire|anchor||wo-18|2023-07-17||formal|wo-01|
worcestershire|anchor||wo-19|2023-07-17||formal||
east-sussex|anchor||es-01|2021-09-01||formal||
oldham|advisor||staff-01|2021-09-01|2023-08-31|formal||National project lead left the RSA
worcestershire|advisor||staff-01|2021-09-01|2023-08-31|formal||National project lead left the RSA
east-sussex|advisor||staff-01|2021-09-01|2023-08-31|formal||National project lead left the RSA
oldham|advisor||staff-06|2023-09-04||formal|staff-01|
worcestershire|advisor||staff-07|2023-09-04||formal|staff-01|
east-sussex|advisor||staff-08|2023-09-04||formal|staff-01|
oldham|pcf-representative||ol-14|2021-10-06||formal||
worcestershire|pcf-representative||wo-14|2021-10-06|2022-07-21|formal||Stepped down from the Collaborative
east-sussex|pcf-representative||es-09|2021-10-19|2022-07-22|formal||Stepped down from the Collaborative
oldham|subgroup-lead|ol-transitions|ol-02|2022-07-06|2024-05-01|self-appointed||Handed over to the funded transitions officer
oldham|subgroup-lead|ol-transitions|ol-23|2024-05-01||formal|ol-02|
oldham|subgroup-lead|ol-inclusion-network|ol-03|2022-09-14||formal||
oldham|subgroup-lead|ol-inclusion-dropins|ol-09|2022-09-14||formal||
oldham|subgroup-lead|ol-referral-routes|ol-05|2022-10-12||self-appointed||
worcestershire|subgroup-lead|wo-senco-network|wo-16|2022-07-12|2024-03-15|self-appointed||Left the Collaborative
worcestershire|subgroup-lead|wo-senco-network|wo-23|2024-03-15||interim|wo-16|
worcestershire|subgroup-lead|wo-trauma-informed|wo-10|2022-07-12||self-appointed||
worcestershire|subgroup-lead|wo-health-schools|wo-08|2022-10-18|2024-01-19|formal||Sub-group closed
worcestershire|subgroup-lead|wo-fair-access|wo-02|2022-10-18||formal||
worcestershire|subgroup-lead|wo-ap-outreach|wo-06|2022-10-18||formal||
east-sussex|subgroup-lead|es-behaviour-networks|es-02|2022-07-14||self-appointed||
east-sussex|subgroup-lead|es-transitions|es-06|2022-07-14||self-appointed||
east-sussex|subgroup-lead|es-graduated-offer|es-13|2022-10-20|2023-03-08|formal||Sub-group redefined around the health-led helpline work
east-sussex|subgroup-lead|es-graduated-offer|es-07|2023-03-08||formal|es-13|
"""

# collaborative | subgroup | formed | title | aim
SUBGROUPS_TABLE = """
oldham|ol-inclusion-network|2022-07-06|Headteacher Inclusion Network|Peer network of secondary headteachers and senior staff to share case studies and exclusions data, support individuals in schools and develop inclusive practice.
oldham|ol-inclusion-dropins|2022-07-06|Early Help and Inclusion drop-ins|Extend the virtual SENCo clinics to all inclusion questions and pilot a joint Inclusion and Early Help drop-in for secondary schools.
oldham|ol-transitions|2022-07-06|Transitions pilot|Universal transition offer: early identification tools for primary schools to find pupils who need targeted support moving to secondary.
oldham|ol-referral-routes|2022-07-06|Referral routes and communications|Referral toolkit improving awareness of services and of when and how to refer children at risk of exclusion.
worcestershire|wo-health-schools|2022-07-12|Health and schools|Improve NHS visibility and accessibility to school professionals through the SENCo, FAP and primary headteacher networks.
worcestershire|wo-senco-network|2022-07-12|SENCo network|Bring inclusion discussion into the SENCo network as a forum for practice sharing, with specialist training from CAMHS.
worcestershire|wo-fair-access|2022-07-12|Fair Access Protocol|Consistent chairing, agendas and use of data in secondary FAP panels, and a primary FAP pilot.
worcestershire|wo-ap-outreach|2022-07-12|AP outreach|Develop and pilot primary and secondary alternative provision outreach offers.
worcestershire|wo-trauma-informed|2022-07-12|Trauma-informed practice|Mechanisms such as EP consultations so that trauma-informed practice is implemented consistently in schools.
east-sussex|es-behaviour-networks|2022-07-14|Behaviour support networks|School-led peer-to-peer behaviour support network to use before involving external services.
east-sussex|es-transitions|2022-07-14|Y6-7 transitions pilot|Streamline transition practice so pupils feel safe and belong in Year 7, reducing autumn-term suspensions.
east-sussex|es-graduated-offer|2022-07-14|Services graduated offer|Bring coherence to the continuum of services' offers so schools make the right referral at the right time.
"""

# subgroup | member | joined | left | reason
SG_MEMBERS_TABLE = """
ol-inclusion-network|ol-03|2022-07-06||
ol-inclusion-network|ol-04|2022-07-06|2023-03-23|Left the Collaborative
ol-inclusion-network|ol-05|2022-07-06||
ol-inclusion-network|ol-18|2022-10-12|2023-12-14|Left the Collaborative
ol-inclusion-network|ol-21|2023-10-18||
ol-inclusion-dropins|ol-09|2022-07-06||
ol-inclusion-dropins|ol-08|2022-07-06||
ol-inclusion-dropins|ol-06|2022-07-06|2022-12-08|Left the Collaborative
ol-inclusion-dropins|ol-07|2022-09-14|2024-03-21|Left the Collaborative
ol-inclusion-dropins|ol-22|2023-11-08||
ol-transitions|ol-02|2022-07-06||
ol-transitions|ol-07|2022-07-06|2024-03-21|Left the Collaborative
ol-transitions|ol-11|2022-07-06||
ol-transitions|ol-13|2022-07-06||
ol-transitions|ol-19|2022-10-12|2024-02-15|Left the Collaborative
ol-transitions|ol-20|2023-02-01||
ol-transitions|ol-23|2024-04-15||
ol-referral-routes|ol-05|2022-07-06||
ol-referral-routes|ol-14|2022-07-06||
ol-referral-routes|ol-15|2022-07-06|2023-06-01|Left the Collaborative
ol-referral-routes|ol-12|2022-07-06|2022-11-17|Left the Collaborative
ol-referral-routes|ol-16|2022-07-06|2022-09-29|Left the Collaborative
ol-referral-routes|ol-11|2022-09-14||
ol-referral-routes|ol-12|2024-01-10||
wo-health-schools|wo-08|2022-07-12|2024-01-19|Sub-group closed
wo-health-schools|wo-09|2022-07-12|2024-01-19|Sub-group closed
wo-health-schools|wo-11|2022-07-12|2023-01-26|Left the Collaborative
wo-health-schools|wo-12|2022-07-12|2022-10-20|Left the Collaborative
wo-senco-network|wo-16|2022-07-12|2024-03-14|Left the Collaborative
wo-senco-network|wo-15|2022-07-12|2023-03-09|Left the Collaborative
wo-senco-network|wo-04|2022-07-12|2023-09-28|Left the Collaborative
wo-senco-network|wo-09|2022-09-20||
wo-senco-network|wo-23|2024-01-17||
wo-fair-access|wo-02|2022-07-12||
wo-fair-access|wo-03|2022-07-12|2023-10-12|Left the Collaborative
wo-fair-access|wo-05|2022-07-12||
wo-fair-access|wo-20|2022-10-18||
wo-fair-access|wo-22|2023-10-04||
wo-fair-access|wo-21|2023-11-15||
wo-ap-outreach|wo-06|2022-07-12||
wo-ap-outreach|wo-07|2022-07-12||
wo-ap-outreach|wo-01|2022-07-12|2023-04-20|Left the Collaborative
wo-ap-outreach|wo-18|2023-09-19||
wo-trauma-informed|wo-10|2022-07-12||
wo-trauma-informed|wo-09|2022-07-12||
wo-trauma-informed|wo-11|2022-07-12|2023-01-26|Left the Collaborative
wo-trauma-informed|wo-19|2023-10-17||
es-behaviour-networks|es-02|2022-07-14||
es-behaviour-networks|es-03|2022-07-14|2024-02-29|Left the Collaborative
es-behaviour-networks|es-12|2022-07-14||
es-behaviour-networks|es-13|2022-10-20||
es-behaviour-networks|es-01|2022-10-20||
es-behaviour-networks|es-18|2024-02-07||
es-transitions|es-06|2022-07-14||
es-transitions|es-05|2022-07-14||
es-transitions|es-04|2022-07-14|2023-02-09|Left the Collaborative
es-transitions|es-15|2022-10-20|2023-06-08|Left the Collaborative
es-transitions|es-16|2023-01-18||
es-transitions|es-17|2023-10-11|2024-08-29|Left the Collaborative
es-graduated-offer|es-13|2022-07-14||
es-graduated-offer|es-07|2022-07-14||
es-graduated-offer|es-08|2022-07-14|2022-12-15|Left the Collaborative
es-graduated-offer|es-09|2022-07-14|2022-07-21|Left the Collaborative
es-graduated-offer|es-10|2022-07-14|2023-03-08|Sub-group redefined; no longer involved
es-graduated-offer|es-11|2022-07-14|2022-11-24|Left the Collaborative
"""

# subgroup | day | status | note   ("planned" is recorded when each sub-group is formed)
STATUS_TABLE = """
ol-inclusion-network|2022-10-12|in-progress|
ol-inclusion-network|2023-06-16|delivered|Inclusion Peer Network of secondary heads meets termly
ol-inclusion-network|2024-03-08|embedded|
ol-inclusion-dropins|2022-09-14|in-progress|
ol-inclusion-dropins|2023-07-07|delivered|Drop-ins running at two secondary schools; virtual clinics weekly
ol-inclusion-dropins|2024-05-10|embedded|
ol-transitions|2022-10-12|in-progress|
ol-transitions|2023-03-03|stalled|Primary schools not able to support a trial of the early identification tool
ol-transitions|2023-10-18|in-progress|Refocused on pupil voice and a trial with looked-after children
ol-transitions|2024-07-12|extended|A funded post continues the work beyond the programme
ol-referral-routes|2022-10-12|in-progress|
wo-health-schools|2022-10-18|in-progress|
wo-health-schools|2024-01-19|closed|Work folded into the SENCo network's regular health Q&A slot
wo-senco-network|2022-09-20|in-progress|
wo-senco-network|2023-07-14|delivered|
wo-senco-network|2024-02-09|embedded|
wo-fair-access|2022-10-18|in-progress|
wo-fair-access|2023-11-17|delivered|Secondary FAP panels use consistent chairing, agendas and data
wo-fair-access|2024-02-09|embedded|
wo-fair-access|2024-07-12|extended|Primary FAP to expand from Redditch to other localities next year
wo-ap-outreach|2022-10-18|in-progress|
wo-ap-outreach|2023-05-19|paused|Secondary outreach proposal awaiting funding
wo-ap-outreach|2023-09-22|in-progress|Primary AP outreach pilot started
wo-ap-outreach|2024-07-12|extended|Secondary outreach funded for four schools from next year
wo-trauma-informed|2022-11-15|in-progress|
wo-trauma-informed|2024-04-26|delivered|
es-behaviour-networks|2022-10-20|in-progress|
es-behaviour-networks|2023-07-07|delivered|
es-behaviour-networks|2024-06-14|embedded|
es-transitions|2022-11-17|in-progress|
es-transitions|2024-07-12|extended|Pilot could not run in 2024; continues for a further year
es-graduated-offer|2022-10-20|in-progress|
es-graduated-offer|2024-05-17|delivered|
"""

# subgroup | day | kind | title
MILESTONE_TABLE = """
ol-inclusion-network|2022-11-16|plan-agreed|Delivery plan agreed
ol-inclusion-network|2023-01-25|terms-of-reference|Terms of reference for the Inclusion Peer Network agreed
ol-inclusion-network|2023-06-16|service-launched|Network meeting termly and reviewing exclusions data
ol-inclusion-dropins|2022-11-09|pilot-started|First joint Inclusion and Early Help drop-in at two secondary schools
ol-inclusion-dropins|2023-03-17|service-launched|Virtual inclusion clinics extended to weekly drop-in calls
ol-inclusion-dropins|2024-01-12|expanded|A third secondary school joins the drop-ins
ol-inclusion-dropins|2024-06-21|other|SEND review process extended to attendance issues
ol-transitions|2022-11-30|plan-agreed|Universal transition offer pilot planned
ol-transitions|2023-12-08|evidence-gathered|Focus groups with pupils on primary to secondary transition
ol-transitions|2024-02-23|pilot-started|Identification tool trialled by the EP service with looked-after children
ol-transitions|2024-03-15|funding-secured|Funded post to lead further development of transitions
ol-referral-routes|2023-05-12|evidence-gathered|Service offers relevant to families collated
ol-referral-routes|2024-06-14|handed-over|Work taken into the council's communications strategy
wo-health-schools|2023-01-20|other|Regular health Q&A slot at the SENCo network
wo-health-schools|2023-09-15|other|Health contact route agreed with WCF exclusions staff
wo-senco-network|2022-11-11|terms-of-reference|SENCo network terms of reference agreed
wo-senco-network|2023-01-20|service-launched|SENCo network relaunched with CAMHS specialist training
wo-senco-network|2023-11-10|expanded|Wider engagement from schools and CAMHS
wo-fair-access|2023-03-17|plan-agreed|Standard FAP chairing and agenda agreed
wo-fair-access|2023-11-17|other|Consistent chairing and data in FAP panels countywide
wo-fair-access|2024-01-19|pilot-started|Primary FAP piloted in Redditch
wo-ap-outreach|2023-03-24|plan-agreed|Secondary AP outreach proposal developed
wo-ap-outreach|2023-09-22|pilot-started|Primary AP outreach pilot running with 26 schools
wo-ap-outreach|2024-06-28|funding-secured|Four schools funded for secondary AP outreach
wo-trauma-informed|2023-02-10|plan-agreed|Delivery plan agreed
wo-trauma-informed|2023-10-06|service-launched|Therapeutic Schools training programme launched
wo-trauma-informed|2024-04-26|evidence-gathered|69% of schools have taken up the training
wo-trauma-informed|2024-06-14|other|Network of trauma-informed practitioners convened
es-behaviour-networks|2023-01-13|pilot-started|Hastings and Eastbourne pilot network first meets
es-behaviour-networks|2023-07-07|pilot-completed|Pilot year complete; network oversubscribed
es-behaviour-networks|2024-03-08|expanded|Networks set up in the four other areas of the county
es-transitions|2023-06-16|evidence-gathered|Best-practice guide: what secondaries Must, Should, Could do
es-transitions|2024-02-02|funding-secured|Funding for Transition Ambassador training
es-transitions|2024-04-19|pilot-started|Three schools trial the guidance with their feeder primaries
es-graduated-offer|2022-12-09|plan-agreed|Map of the services' graduated offer
es-graduated-offer|2024-02-16|service-launched|Therapies-led and LA inclusion helplines joined up
es-graduated-offer|2024-05-17|other|Suite of therapy advice videos for schools published
"""

REDEFINITION = {
    "subgroup": "es-graduated-offer",
    "day": "2023-03-08",
    "title": "Therapies and inclusion helplines",
    "aim": "Immediate advice for schools through a suite of therapy videos and a Therapies-led helpline joined up with the LA inclusion helpline.",
    "reason": "Early Help, Social Care, CAMHS and the Parent Carer Forum could no longer take part; the action was re-scoped around the partners still involved, led by NHS children's therapies.",
}

# slug | collaboratives (+) | day | kind | mode | title
WORKSHOPS_TABLE = """
ol-ws-01|oldham|2021-11-17|launch|in-person|Launch: the Oldham system map
wo-ws-01|worcestershire|2021-11-23|launch|in-person|Launch: the Worcestershire system map
es-ws-01|east-sussex|2021-11-25|launch|in-person|Launch: the East Sussex system map
ol-ws-02|oldham|2022-01-19|convening|online|Convening 2: a shared vision
wo-ws-02|worcestershire|2022-01-25|convening|online|Convening 2: a shared vision
es-ws-02|east-sussex|2022-01-27|convening|online|Convening 2: a shared vision
ol-ws-03|oldham|2022-03-16|convening|in-person|Convening 3: priorities for change
wo-ws-03|worcestershire|2022-03-22|convening|in-person|Convening 3: priorities for change
es-ws-03|east-sussex|2022-03-24|convening|in-person|Convening 3: priorities for change
ol-ws-04|oldham|2022-05-11|convening|in-person|Convening 4: from priorities to actions
wo-ws-04|worcestershire|2022-05-17|convening|in-person|Convening 4: from priorities to actions
es-ws-04|east-sussex|2022-05-19|convening|in-person|Convening 4: from priorities to actions
xl-ws-01|oldham+worcestershire+east-sussex|2022-06-22|cross-locality|online|Cross-locality workshop 2022: the three system maps
ol-ws-05|oldham|2022-07-06|convening|in-person|Convening 5: agreeing the action plan
wo-ws-05|worcestershire|2022-07-12|convening|in-person|Convening 5: agreeing the action plan
es-ws-05|east-sussex|2022-07-14|convening|in-person|Convening 5: agreeing the action plan
ol-ws-06|oldham|2022-10-12|collaborative|in-person|Collaborative workshop: sub-group delivery plans
wo-ws-06|worcestershire|2022-10-18|collaborative|in-person|Collaborative workshop: sub-group delivery plans
es-ws-06|east-sussex|2022-10-20|collaborative|in-person|Collaborative workshop: sub-group delivery plans
wo-ws-07|worcestershire|2023-05-16|collaborative|in-person|Collaborative workshop: progress and barriers
ol-ws-07|oldham|2023-05-17|collaborative|in-person|Collaborative workshop: progress and barriers
es-ws-07|east-sussex|2023-05-18|collaborative|in-person|Collaborative workshop: progress and barriers
xl-ws-02|oldham+worcestershire+east-sussex|2023-06-21|cross-locality|online|Cross-locality workshop 2023: learning from each other's sub-groups
wo-ws-08|worcestershire|2023-10-17|collaborative|in-person|Collaborative workshop: planning the final year
ol-ws-08|oldham|2023-10-18|collaborative|in-person|Collaborative workshop: planning the final year
es-ws-08|east-sussex|2023-10-19|collaborative|in-person|Collaborative workshop: planning the final year
wo-ws-09|worcestershire|2024-05-14|collaborative|in-person|Collaborative workshop: evaluation and future ways of working
ol-ws-09|oldham|2024-05-15|collaborative|in-person|Collaborative workshop: evaluation and future ways of working
es-ws-09|east-sussex|2024-05-16|collaborative|in-person|Collaborative workshop: evaluation and future ways of working
xl-ws-03|oldham+worcestershire+east-sussex|2024-06-19|cross-locality|online|Cross-locality workshop 2024: sustaining the work
"""

# The survey: wave -> (closing day, {collaborative: (invited, responded)}). Invited is
# checked against the members (programme staff excluded) active on the closing day.
SURVEYS = {
    "2022": (D("2022-07-08"), {"oldham": (16, 10), "worcestershire": (15, 10), "east-sussex": (13, 10)}),
    "2023": (D("2023-07-07"), {"oldham": (12, 9), "worcestershire": (11, 8), "east-sussex": (10, 8)}),
    "2024": (D("2024-07-05"), {"oldham": (13, 8), "worcestershire": (13, 8), "east-sussex": (10, 8)}),
}
SURVEY_TOTALS = {"2022": (44, 30), "2023": (33, 25), "2024": (36, 24)}

# Members whose sub-group work was "up and running" and who stopped coming to
# workshops in Year 3 ("what would be the point?"), though still members.
STOPPED_COMING_Y3 = {"ol-08", "ol-09", "wo-02", "wo-05", "es-13"}

# The one correction: the register of es-ws-03 was first typed from the wrong sign-in sheet.
CORRECTED_WORKSHOP = "es-ws-03"
CORRECTION_DAY = D("2022-05-13")

# Late or bulk entries: group -> the day it was entered.
LATE_GROUPS = {
    "leave:worcestershire:wo-14:2022-07-21": D("2022-11-04"),   # PCF rep's departure entered 3.5 months late
    "join:east-sussex:es-16:2022-11-01": D("2023-01-13"),       # a joiner entered 10 weeks late
    "ws:ol-ws-07": D("2023-07-28"),                  # a workshop register entered 10 weeks late
    "ws:xl-ws-03": D("2024-09-16"),                  # cross-locality register entered 3 months late
    "coach:worcestershire:y3:t1": D("2023-12-22"),   # Worcestershire's Year 3 coaching log,
    "coach:worcestershire:y3:t2": D("2024-04-19"),   #   entered once a term
    "coach:worcestershire:y3:t3": D("2024-07-19"),
    "fix:" + CORRECTED_WORKSHOP: CORRECTION_DAY,
    "setup": D("2021-09-03"),
}

HOLIDAYS = [
    ("2021-10-25", "2021-10-29"), ("2021-12-20", "2022-01-03"), ("2022-02-21", "2022-02-25"),
    ("2022-04-11", "2022-04-22"), ("2022-05-30", "2022-06-03"), ("2022-07-22", "2022-09-05"),
    ("2022-10-24", "2022-10-28"), ("2022-12-21", "2023-01-03"), ("2023-02-13", "2023-02-17"),
    ("2023-04-03", "2023-04-14"), ("2023-05-29", "2023-06-02"), ("2023-07-21", "2023-09-04"),
    ("2023-10-23", "2023-10-27"), ("2023-12-21", "2024-01-03"), ("2024-02-12", "2024-02-16"),
    ("2024-03-29", "2024-04-12"), ("2024-05-27", "2024-05-31"), ("2024-07-23", "2024-09-03"),
]
HOLIDAYS = [(D(a), D(b)) for a, b in HOLIDAYS]


def is_term_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not any(a <= day <= b for a, b in HOLIDAYS)


def term_days(start: dt.date, end: dt.date, weekday: int, every: int = 1) -> list[dt.date]:
    """Term-time days with the given weekday from start to end, every `every` term weeks."""
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    out, i = [], 0
    while day <= end:
        if is_term_day(day):
            if i % every == 0:
                out.append(day)
            i += 1
        day += dt.timedelta(days=7)
    return out


def rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines() if line.strip()]


FIRST_NAMES = """Aisha Alan Amira Andrew Anita Bethan Carl Caroline Chloe Claire Daniel Deborah Dev Eilidh
Emma Fatima Gareth Gemma Hannah Helen Imran Jacqueline James Jasmine Joanne Jonathan Karen Kate
Kwame Laura Leanne Liam Lorraine Marcus Mark Martin Michelle Mohammed Nadia Natalie Neil Nicola
Niamh Olivia Owen Priya Rachel Rebecca Richard Robert Ruth Sadia Samuel Sarah Shabana Sian
Simon Siobhán Sophie Stephen Susan Tariq Thomas Tom Vanessa Victoria Wendy Yusuf Zoë Zainab""".split()
SURNAMES = """Ahmed Ainsworth Akhtar Barker Begum Bennett Bradshaw Brennan Butterworth Carter Chowdhury
Clarke Crossley Dawson Doyle Evans Fairclough Fletcher Gallagher Greenwood Hall Haworth Hussain
Iqbal Jackson Jennings Kaur Kelly Kershaw Khan Lees Lomax Mahmood Marsden Mellor Mistry Morris
Nolan Nuttall Okafor Ogden Parkinson Patel Pearson Quinn Rahman Riley Robinson Schofield Shaw
Stott Sutcliffe Taylor Thornton Walsh Whitehead Wilde Wood Wright Yates""".split()


def make_names(slugs: list[str]) -> dict[str, str]:
    rng = random.Random(f"{SEED}:names")
    firsts, lasts = FIRST_NAMES[:], SURNAMES[:]
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    names, used = {}, set()
    for i, slug in enumerate(slugs):
        name = f"{firsts[i % len(firsts)]} {lasts[(i * 7) % len(lasts)]}"
        if name in used:
            fail(f"duplicate generated name {name}")
        used.add(name)
        names[slug] = name
    return names


@dataclass
class Stint:
    collab: str
    member: str
    joined: dt.date
    left: dt.date | None
    reason: str
    note: str

    def active(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


@dataclass
class RoleSpec:
    collab: str
    role: str
    subgroup: str
    member: str
    start: dt.date
    end: dt.date | None
    appointment: str
    succeeds: str
    end_reason: str

    def held(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class SgStint:
    subgroup: str
    member: str
    joined: dt.date
    left: dt.date | None
    reason: str

    def active(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


class World:
    def __init__(self) -> None:
        self.people = {}
        for slug, sector, org in rows(PEOPLE_TABLE):
            self.people[slug] = {"sector": sector, "organisation": org}
        self.names = make_names(list(self.people))
        self.stints = [
            Stint(c, m, D(j), D(l) if l else None, r, n) for c, m, j, l, r, n in rows(STINTS_TABLE)
        ]
        self.roles = [
            RoleSpec(c, r, sg, m, D(s), D(e) if e else None, a, su, er)
            for c, r, sg, m, s, e, a, su, er in rows(ROLES_TABLE)
        ]
        self.subgroups = {sg: {"collab": c, "formed": D(f), "title": t, "aim": a}
                          for c, sg, f, t, a in rows(SUBGROUPS_TABLE)}
        self.sg_stints = [SgStint(sg, m, D(j), D(l) if l else None, r) for sg, m, j, l, r in rows(SG_MEMBERS_TABLE)]
        self.workshops = []
        for slug, cs, day, kind, mode, title in rows(WORKSHOPS_TABLE):
            self.workshops.append({"slug": slug, "collabs": cs.split("+"), "day": D(day), "kind": kind,
                                   "mode": mode, "title": title})
        self.workshops.sort(key=lambda w: (w["day"], w["slug"]))
        self.sanity()

    # -- queries
    def active(self, member: str, collab: str, day: dt.date) -> bool:
        return any(s.member == member and s.collab == collab and s.active(day) for s in self.stints)

    def active_members(self, collab: str, day: dt.date, staff: bool | None = None) -> list[str]:
        out = sorted({s.member for s in self.stints if s.collab == collab and s.active(day)})
        if staff is True:
            out = [m for m in out if self.is_staff(m)]
        elif staff is False:
            out = [m for m in out if not self.is_staff(m)]
        return out

    def is_staff(self, member: str) -> bool:
        return self.people[member]["sector"] == "programme-staff"

    def stint_of(self, member: str, collab: str, day: dt.date) -> Stint | None:
        for s in self.stints:
            if s.member == member and s.collab == collab and s.active(day):
                return s
        return None

    def holders(self, collab: str, role: str, day: dt.date, subgroup: str = "") -> list[str]:
        return sorted(r.member for r in self.roles if r.collab == collab and r.role == role
                      and r.subgroup == subgroup and r.held(day))

    def sg_members(self, subgroup: str, day: dt.date) -> list[str]:
        return sorted(s.member for s in self.sg_stints if s.subgroup == subgroup and s.active(day))

    def sg_status(self, subgroup: str, day: dt.date) -> str:
        status = "planned"
        for sg, d, st, _ in rows(STATUS_TABLE):
            if sg == subgroup and D(d) <= day:
                status = st
        return status

    def leaving_soon(self, member: str, collab: str, day: dt.date, days: int) -> bool:
        s = self.stint_of(member, collab, day)
        return bool(s and s.left and (s.left - day).days <= days)

    # -- consistency of the hand-written world (the checker later judges the events)
    def sanity(self) -> None:
        for slug in self.people:
            if not any(s.member == slug for s in self.stints):
                fail(f"{slug} never joins")
        for r in self.roles:
            s = self.stint_of(r.member, r.collab, r.start)
            if not s:
                fail(f"role holder {r.member} not active in {r.collab} on {r.start}")
            if s.left and (r.end is None or r.end > s.left):
                fail(f"role of {r.member} in {r.collab} outlives their membership")
        for g in self.sg_stints:
            c = self.subgroups[g.subgroup]["collab"]
            s = self.stint_of(g.member, c, g.joined)
            if not s:
                fail(f"sub-group member {g.member} not active in {c} on {g.joined}")
            if s.left and (g.left is None or g.left >= s.left):
                fail(f"{g.member} stays in {g.subgroup} until {g.left}, after leaving {c} on {s.left}")
            if g.joined < self.subgroups[g.subgroup]["formed"]:
                fail(f"{g.member} joins {g.subgroup} before it is formed")


# --------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------

PRIORITY = {  # order of same-day events inside a batch
    "CollaborativeFormed": 0, "MemberJoined": 1, "MemberDetailsChanged": 2, "SubGroupFormed": 3,
    "SubGroupMemberJoined": 4, "RoleEnded": 5, "RoleAssigned": 6, "SubGroupRedefined": 7,
    "SubGroupStatusChanged": 8, "MilestoneReached": 9, "WorkshopHeld": 10, "CoachingSessionHeld": 11,
    "SurveyWaveClosed": 12, "SubGroupMemberLeft": 13, "MemberLeft": 14, "EventRetracted": -1,
}


@dataclass
class Ev:
    key: str
    type: str
    day: dt.date
    data: dict
    scope: str               # collaborative slug, or "programme"
    group: str               # events of one group are entered together
    deps: list[str] = field(default_factory=list)
    rec: dt.date | None = None
    recorder: str = ""
    order: int = 0

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.key))

    def line(self) -> dict:
        return {"id": self.id, "type": self.type, "occurredAt": self.day.isoformat(),
                "recordedBy": self.recorder, "data": self.data}


class Builder:
    def __init__(self, world: World) -> None:
        self.w = world
        self.events: list[Ev] = []
        self.by_key: dict[str, Ev] = {}
        self.correction: dict = {}

    def add(self, key: str, type_: str, day: dt.date, data: dict, scope: str, group: str,
            deps: list[str] | None = None) -> Ev:
        if key in self.by_key:
            fail(f"duplicate event key {key}")
        if day.weekday() >= 5:
            fail(f"{key}: {day} is a weekend")
        if not (PROGRAMME_START <= day <= HISTORY_END):
            fail(f"{key}: {day} outside the programme")
        if group == "setup":
            scope = "programme"   # the programme lead sets the store up
        ev = Ev(key, type_, day, data, scope, group, deps or [])
        ev.order = len(self.events)
        self.events.append(ev)
        self.by_key[key] = ev
        return ev

    def workshop_group(self, collab: str, day: dt.date) -> str | None:
        for ws in self.w.workshops:
            if ws["day"] == day and collab in ws["collabs"] and len(ws["collabs"]) == 1:
                return "ws:" + ws["slug"]
        return None

    # ---- structure
    def build(self) -> None:
        w = self.w
        for c, (name, anchor_org) in COLLABS.items():
            self.add(f"formed:{c}", "CollaborativeFormed", PROGRAMME_START,
                     {"collaborative": c, "name": name, "anchorOrganisation": anchor_org,
                      "programmeStart": PROGRAMME_START.isoformat()}, "programme", "setup")

        for s in w.stints:
            p = w.people[s.member]
            group = self.join_group(s)
            data = {"collaborative": s.collab, "member": s.member, "name": w.names[s.member],
                    "sector": p["sector"], "organisation": self.organisation_on(s.member, s.joined)}
            self.add(f"join:{s.collab}:{s.member}:{s.joined}", "MemberJoined", s.joined, data,
                     "programme" if w.is_staff(s.member) or s.joined == PROGRAMME_START else s.collab, group)
            if s.left:
                data = {"collaborative": s.collab, "member": s.member, "reason": s.reason}
                if s.note:
                    data["note"] = s.note
                self.add(f"left:{s.collab}:{s.member}:{s.left}", "MemberLeft", s.left, data,
                         "programme" if w.is_staff(s.member) else s.collab,
                         f"leave:{s.collab}:{s.member}:{s.left}")

        for member, day, changes in rows(DETAILS_TABLE):
            data = {"member": member}
            for change in changes.split(";"):
                k, v = change.split("=", 1)
                data[k] = self.new_name(member) if (k == "name" and v == "*") else v
            collab = next(s.collab for s in w.stints if s.member == member)
            self.add(f"details:{member}:{day}", "MemberDetailsChanged", D(day), data, collab, f"details:{member}:{day}")

        for sg, info in w.subgroups.items():
            c = info["collab"]
            group = self.workshop_group(c, info["formed"]) or f"sg:{sg}"
            self.add(f"sgformed:{sg}", "SubGroupFormed", info["formed"],
                     {"collaborative": c, "subgroup": sg, "title": info["title"], "aim": info["aim"]}, c, group)
            self.add(f"status:{sg}:{info['formed']}:planned", "SubGroupStatusChanged", info["formed"],
                     {"subgroup": sg, "status": "planned", "note": "Agreed in the Year 1 action plan"}, c, group)

        for g in w.sg_stints:
            c = w.subgroups[g.subgroup]["collab"]
            jg = self.workshop_group(c, g.joined) or f"sgjoin:{g.subgroup}:{g.member}:{g.joined}"
            if any(s.member == g.member and s.collab == c and s.joined == g.joined for s in w.stints):
                jg = self.join_group(self.w.stint_of(g.member, c, g.joined))
            self.add(f"sgjoin:{g.subgroup}:{g.member}:{g.joined}", "SubGroupMemberJoined", g.joined,
                     {"subgroup": g.subgroup, "member": g.member}, c, jg)
            if g.left:
                stint = w.stint_of(g.member, c, g.joined)
                lg = (f"leave:{c}:{g.member}:{stint.left}" if stint.left and (stint.left - g.left).days <= 7
                      else f"sgleave:{g.subgroup}:{g.member}:{g.left}")
                if g.reason == "Sub-group closed":
                    lg = f"sgclose:{g.subgroup}"
                if g.reason.startswith("Sub-group redefined"):
                    lg = f"redefine:{g.subgroup}"
                data = {"subgroup": g.subgroup, "member": g.member}
                if g.reason:
                    data["reason"] = g.reason
                self.add(f"sgleave:{g.subgroup}:{g.member}:{g.left}", "SubGroupMemberLeft", g.left, data, c, lg)

        for r in w.roles:
            data = {"collaborative": r.collab, "role": r.role}
            if r.subgroup:
                data["subgroup"] = r.subgroup
            data["member"] = r.member
            data["appointment"] = r.appointment
            if r.succeeds:
                data["succeeds"] = r.succeeds
            stint = w.stint_of(r.member, r.collab, r.start)
            group = (self.join_group(stint) if stint.joined == r.start
                     else self.workshop_group(r.collab, r.start) or f"role:{r.collab}:{r.role}:{r.start}")
            if r.subgroup and r.start == w.subgroups[r.subgroup]["formed"]:
                group = self.workshop_group(r.collab, r.start) or group
            if r.role == "advisor" and r.start == PROGRAMME_START:
                group = "setup"
            scope = "programme" if r.role == "advisor" else r.collab
            self.add(f"role:{r.collab}:{r.role}:{r.subgroup}:{r.member}:{r.start}", "RoleAssigned", r.start,
                     data, scope, group)
            if r.end:
                data = {"collaborative": r.collab, "role": r.role}
                if r.subgroup:
                    data["subgroup"] = r.subgroup
                data["member"] = r.member
                if r.end_reason:
                    data["reason"] = r.end_reason
                if stint.left == r.end:
                    group = f"leave:{r.collab}:{r.member}:{stint.left}"
                elif r.end_reason == "Sub-group closed":
                    group = f"sgclose:{r.subgroup}"
                elif r.subgroup and r.end.isoformat() == REDEFINITION["day"]:
                    group = f"redefine:{r.subgroup}"
                else:
                    group = f"role:{r.collab}:{r.role}:{r.end}"
                self.add(f"roleend:{r.collab}:{r.role}:{r.subgroup}:{r.member}:{r.end}", "RoleEnded", r.end,
                         data, scope, group)

        for sg, day, status, note in rows(STATUS_TABLE):
            c = w.subgroups[sg]["collab"]
            data = {"subgroup": sg, "status": status}
            if note:
                data["note"] = note
            group = (f"sgclose:{sg}" if status == "closed"
                     else self.workshop_group(c, D(day)) or f"progress:{sg}:{day}")
            self.add(f"status:{sg}:{day}:{status}", "SubGroupStatusChanged", D(day), data, c, group)

        for sg, day, kind, title in rows(MILESTONE_TABLE):
            c = w.subgroups[sg]["collab"]
            self.add(f"milestone:{sg}:{day}:{kind}", "MilestoneReached", D(day),
                     {"subgroup": sg, "kind": kind, "title": title}, c, f"progress:{sg}:{day}")

        r = REDEFINITION
        c = w.subgroups[r["subgroup"]]["collab"]
        self.add(f"redefine:{r['subgroup']}", "SubGroupRedefined", D(r["day"]),
                 {"subgroup": r["subgroup"], "title": r["title"], "aim": r["aim"], "reason": r["reason"]},
                 c, f"redefine:{r['subgroup']}")

        self.build_workshops()
        self.build_coaching()
        self.build_surveys()

    def join_group(self, s: Stint) -> str:
        if s.joined == PROGRAMME_START:
            return "setup"
        if self.w.is_staff(s.member):
            return f"staffjoin:{s.member}:{s.joined}"
        return self.workshop_group(s.collab, s.joined) or f"join:{s.collab}:{s.member}:{s.joined}"

    def organisation_on(self, member: str, day: dt.date) -> str:
        org = self.w.people[member]["organisation"]
        for m, d, changes in rows(DETAILS_TABLE):
            if m == member and D(d) <= day:
                for change in changes.split(";"):
                    k, v = change.split("=", 1)
                    if k == "organisation":
                        org = v
        return org

    def new_name(self, member: str) -> str:
        first = self.w.names[member].split()[0]
        taken = {n.split()[-1] for n in self.w.names.values()}
        spare = [s for s in SURNAMES if s not in taken]
        return f"{first} {spare[0] if spare else 'Ashworth'}"

    # ---- workshops
    def attendance_probability(self, member: str, ws: dict) -> float:
        w, day = self.w, ws["day"]
        year = programme_year(day)
        if w.is_staff(member):
            if ws["kind"] == "cross-locality":
                return 1.0 if member in ("staff-01", "staff-02", "staff-09", "staff-06", "staff-07", "staff-08") else 0.0
            if member == "staff-02":
                return 1.0 if ws["kind"] == "launch" or ws["slug"].endswith("-05") else 0.0
            return 0.0 if member == "staff-09" else 1.0
        if any(s.member == member and s.collab in ws["collabs"] and s.joined == day for s in w.stints):
            return 1.0  # joined at this workshop
        base = random.Random(f"{SEED}:engagement:{member}").uniform(0.62, 0.95)
        factor = {1: 0.95, 2: 0.82, 3: 0.6}[year]
        if year == 3 and "east-sussex" in ws["collabs"] and len(ws["collabs"]) == 1:
            factor = 0.72  # East Sussex stayed more connected
        if ws["kind"] == "cross-locality":
            factor *= 0.5
        if year == 3 and member in STOPPED_COMING_Y3:
            factor = 0.0
        if any(w.leaving_soon(member, c, day, 130) for c in ws["collabs"]):
            factor *= 0.45
        return base * factor

    def build_workshops(self) -> None:
        w = self.w
        for ws in w.workshops:
            rng = random.Random(f"{SEED}:ws:{ws['slug']}")
            eligible = sorted({m for c in ws["collabs"] for m in w.active_members(c, ws["day"])})
            attendees = [m for m in eligible if rng.random() < self.attendance_probability(m, ws)]
            if len(ws["collabs"]) == 1:
                # even the emptiest workshop had a few members in the room
                keen = sorted((m for m in eligible if m not in attendees and not w.is_staff(m)
                               and m not in STOPPED_COMING_Y3),
                              key=lambda m: -random.Random(f"{SEED}:engagement:{m}").random())
                while sum(not w.is_staff(m) for m in attendees) < 3 and keen:
                    attendees.append(keen.pop(0))
                attendees.sort()
            guests = {"launch": rng.randint(3, 7), "convening": rng.randint(0, 2),
                      "collaborative": rng.randint(0, 2), "cross-locality": rng.randint(2, 5)}[ws["kind"]]
            scope = ws["collabs"][0] if len(ws["collabs"]) == 1 else "programme"

            def data_for(att: list[str]) -> dict:
                return {"workshop": ws["slug"], "collaboratives": ws["collabs"], "kind": ws["kind"],
                        "mode": ws["mode"], "title": ws["title"], "attendees": att, "guests": guests}

            if ws["slug"] == CORRECTED_WORKSHOP:
                present = [m for m in attendees if not w.is_staff(m)]
                absent = [m for m in eligible if m not in attendees and not w.is_staff(m)]
                if len(present) < 4 or not absent:
                    fail("the corrected workshop needs a fuller register")
                omitted, added = present[-2:], absent[:1]
                wrong = sorted([m for m in attendees if m not in omitted] + added)
                original = self.add(f"ws:{ws['slug']}:first-entry", "WorkshopHeld", ws["day"], data_for(wrong),
                                    scope, "ws:" + ws["slug"])
                self.correction = {"workshop": ws["slug"], "wrong": wrong, "right": attendees,
                                   "omitted": omitted, "added": added, "target": original}
                reason = (f"Register typed from the wrong sign-in sheet: {added[0]} was not there and "
                          f"{omitted[0]} and {omitted[1]} were left out.")
                # The retraction is dated the day the mistake was found (occurredAt is valid time).
                ev = Ev(f"retract:{ws['slug']}", "EventRetracted", CORRECTION_DAY,
                        {"event": original.id, "reason": reason}, scope, "fix:" + ws["slug"], [original.key])
                ev.order = len(self.events)
                self.events.append(ev)
                self.by_key[ev.key] = ev
                self.add(f"ws:{ws['slug']}", "WorkshopHeld", ws["day"], data_for(attendees), scope,
                         "fix:" + ws["slug"], deps=[ev.key])
            else:
                self.add(f"ws:{ws['slug']}", "WorkshopHeld", ws["day"], data_for(attendees), scope, "ws:" + ws["slug"])

    # ---- coaching
    def session(self, collab: str, day: dt.date, kind: str, advisor: str, attendees: list[str],
                minutes: int, subgroup: str = "", group: str = "") -> None:
        w = self.w
        attendees = sorted(set(a for a in attendees if w.active(a, collab, day) and a != advisor))
        data = {"collaborative": collab}
        if subgroup:
            data["subgroup"] = subgroup
        data.update({"kind": kind, "advisor": advisor, "attendees": attendees})
        if attendees:
            data["minutes"] = minutes
        key = f"coach:{collab}:{subgroup or '-'}:{kind}:{day}"
        if key in self.by_key:
            return
        self.add(key, "CoachingSessionHeld", day, data, collab, group or key)

    def build_coaching(self) -> None:
        w = self.w
        researcher = {"oldham": "staff-03", "worcestershire": "staff-04", "east-sussex": "staff-05"}
        weekday = {"oldham": 1, "worcestershire": 2, "east-sussex": 3}
        ws_days = {ws["day"] for ws in w.workshops}

        # Year 1: weekly catch-ups between the action researcher and the anchor; monthly
        # consultations of the national lead with the LA teams.
        for c in ALL_COLLABS:
            rng = random.Random(f"{SEED}:coach:y1:{c}")
            for day in term_days(D("2021-09-13"), D("2022-07-15"), weekday[c]):
                if day in ws_days:
                    continue
                anchors = w.holders(c, "anchor", day)
                att = anchors if rng.random() < 0.88 else []
                self.session(c, day, "catch-up", researcher[c], att, rng.choice([30, 30, 45]))
            for day in term_days(D("2021-09-20"), D("2022-07-15"), 4, every=2):
                la = [m for m in w.active_members(c, day, staff=False)
                      if w.people[m]["sector"] in ("la-education", "la-send-inclusion", "la-early-help")]
                att = [m for m in la if rng.random() < 0.7] or w.holders(c, "anchor", day)
                self.session(c, day, "consultation", "staff-01", att, rng.choice([60, 90]))

        # Year 2: the national lead is the sole advisor: fortnightly catch-ups with each
        # sub-group, monthly leadership sessions with the anchor.
        for sg, info in w.subgroups.items():
            c = info["collab"]
            rng = random.Random(f"{SEED}:coach:y2:{sg}")
            for day in term_days(D("2022-09-12") + dt.timedelta(days=rng.randint(0, 6)), D("2023-07-14"),
                                 rng.randint(0, 4), every=2):
                members = w.sg_members(sg, day)
                status = w.sg_status(sg, day)
                if not members or status == "closed":
                    continue
                lead = w.holders(c, "subgroup-lead", day, sg)
                p_empty = 0.75 if status in ("stalled", "paused") else (0.18 if c == "worcestershire" else 0.08)
                if rng.random() < p_empty:
                    att = []
                else:
                    att = lead + [m for m in members if m not in lead and rng.random() < 0.45]
                kind = "group" if len(att) >= 3 else "catch-up"
                self.session(c, day, kind, "staff-01", att, 60 if kind == "group" else 30, subgroup=sg)
        for c in ALL_COLLABS:
            rng = random.Random(f"{SEED}:coach:y2:{c}:anchor")
            for day in term_days(D("2022-09-16"), D("2023-07-14"), 4, every=2):
                anchors = w.holders(c, "anchor", day)
                if not anchors:
                    continue  # Worcestershire's gap: nobody to meet
                self.session(c, day, "leadership", "staff-01", anchors if rng.random() < 0.85 else [], 60)

        # Year 3: local collaborative advisors, very different uptake.
        y3_start, y3_end = D("2023-09-18"), D("2024-07-12")
        # Oldham: weekly drop-in calls that mostly nobody joins; evaluation consultations.
        rng = random.Random(f"{SEED}:coach:y3:oldham")
        for day in term_days(y3_start, y3_end, 2):
            if day in ws_days:
                continue
            members = w.active_members("oldham", day, staff=False)
            att = [] if rng.random() < 0.72 else rng.sample(members, rng.choice([1, 1, 2]))
            self.session("oldham", day, "drop-in", "staff-06", att, 45)
        for sg in ("ol-inclusion-network", "ol-inclusion-dropins", "ol-transitions", "ol-referral-routes"):
            for day in term_days(y3_start + dt.timedelta(days=7), y3_end, 4, every=3):
                members = w.sg_members(sg, day)
                lead = w.holders("oldham", "subgroup-lead", day, sg)
                att = [] if rng.random() < 0.4 else lead + [m for m in members if rng.random() < 0.3]
                self.session("oldham", day, "consultation", "staff-06", att, 60, subgroup=sg)
        for day in term_days(y3_start, y3_end, 0, every=4):
            self.session("oldham", day, "one-to-one", "staff-06", w.holders("oldham", "anchor", day), 45)

        # Worcestershire: leadership coaching offered to sub-group leads, low uptake; group
        # drop-ins in the autumn only; consultations with the new anchors. Logged termly.
        rng = random.Random(f"{SEED}:coach:y3:worcestershire")

        def wo_group(day: dt.date) -> str:
            term = 1 if day < D("2024-01-01") else (2 if day < D("2024-04-15") else 3)
            return f"coach:worcestershire:y3:t{term}"

        for sg in ("wo-senco-network", "wo-fair-access", "wo-ap-outreach", "wo-trauma-informed", "wo-health-schools"):
            for day in term_days(y3_start + dt.timedelta(days=rng.randint(0, 4)), y3_end, 3, every=4):
                if w.sg_status(sg, day) == "closed":
                    continue
                lead = w.holders("worcestershire", "subgroup-lead", day, sg)
                att = lead if rng.random() < 0.3 else []
                self.session("worcestershire", day, "leadership", "staff-07", att, 60, subgroup=sg,
                             group=wo_group(day))
        for day in term_days(y3_start, D("2023-12-15"), 1, every=2):
            members = w.active_members("worcestershire", day, staff=False)
            att = [] if rng.random() < 0.7 else rng.sample(members, 1)
            self.session("worcestershire", day, "drop-in", "staff-07", att, 45, group=wo_group(day))
        for day in term_days(y3_start, y3_end, 0, every=4):
            anchors = w.holders("worcestershire", "anchor", day)
            att = [a for a in anchors if rng.random() < 0.6]
            self.session("worcestershire", day, "consultation", "staff-07", att, 60, group=wo_group(day))

        # East Sussex: monthly cross-sub-group leads meetings, admin support, 1:1s; good uptake.
        rng = random.Random(f"{SEED}:coach:y3:east-sussex")
        for day in term_days(y3_start, y3_end, 2, every=4):
            leads = sorted({m for sg in ("es-behaviour-networks", "es-transitions", "es-graduated-offer")
                            for m in w.holders("east-sussex", "subgroup-lead", day, sg)})
            att = [m for m in leads if rng.random() < 0.85] + w.holders("east-sussex", "anchor", day)
            self.session("east-sussex", day, "group", "staff-08", att, 90)
        for day in term_days(y3_start + dt.timedelta(days=7), y3_end, 4, every=3):
            att = w.holders("east-sussex", "subgroup-lead", day, "es-behaviour-networks") + ["es-01"]
            self.session("east-sussex", day, "admin-support", "staff-08", att, 45, subgroup="es-behaviour-networks")
        for sg in ("es-transitions", "es-graduated-offer"):
            for day in term_days(y3_start + dt.timedelta(days=14), y3_end, 1, every=3):
                lead = w.holders("east-sussex", "subgroup-lead", day, sg)
                att = lead if rng.random() < 0.8 else []
                self.session("east-sussex", day, "one-to-one", "staff-08", att, 45, subgroup=sg)

    # ---- surveys
    def build_surveys(self) -> None:
        w = self.w
        for wave, (day, per) in SURVEYS.items():
            for c, (invited, responded) in per.items():
                active = len(w.active_members(c, day, staff=False))
                if active != invited:
                    fail(f"survey {wave} {c}: {active} members active on {day}, report says {invited} invited")
                self.add(f"survey:{wave}:{c}", "SurveyWaveClosed", day,
                         {"collaborative": c, "wave": wave, "invited": invited, "responded": responded},
                         c, f"survey:{wave}:{c}")
            total = (sum(v[0] for v in per.values()), sum(v[1] for v in per.values()))
            if total != SURVEY_TOTALS[wave]:
                fail(f"survey {wave} totals {total} != {SURVEY_TOTALS[wave]}")

    # ---- references between events, for the order in which they can be entered
    def compute_deps(self) -> None:
        joins = collections.defaultdict(list)       # (collab, member) -> [ev]
        any_join = collections.defaultdict(list)    # member -> [ev]
        roles = collections.defaultdict(list)
        sgjoins = collections.defaultdict(list)
        sg_leaves = collections.defaultdict(list)
        role_ends = collections.defaultdict(list)
        for ev in self.events:
            if ev.type == "MemberJoined":
                joins[(ev.data["collaborative"], ev.data["member"])].append(ev)
                any_join[ev.data["member"]].append(ev)
            elif ev.type == "RoleAssigned":
                roles[(ev.data["collaborative"], ev.data["role"], ev.data.get("subgroup"), ev.data["member"])].append(ev)
            elif ev.type == "SubGroupMemberJoined":
                sgjoins[(ev.data["subgroup"], ev.data["member"])].append(ev)
            elif ev.type == "SubGroupMemberLeft":
                c = self.w.subgroups[ev.data["subgroup"]]["collab"]
                sg_leaves[(c, ev.data["member"])].append(ev)
            elif ev.type == "RoleEnded":
                role_ends[(ev.data["collaborative"], ev.data["member"])].append(ev)

        def latest(evs: list[Ev], day: dt.date) -> Ev | None:
            cands = [e for e in evs if e.day <= day]
            return max(cands, key=lambda e: e.day) if cands else None

        def member_dep(member: str, collabs: list[str], day: dt.date) -> list[str]:
            out = [latest(joins[(c, member)], day) for c in collabs]
            out = [e for e in out if e] or [latest(any_join[member], day)]
            if not out or out[0] is None:
                fail(f"no join for {member} by {day}")
            return [e.key for e in out]

        for ev in self.events:
            d, day = ev.data, ev.day
            deps = list(ev.deps)
            if ev.type == "EventRetracted":
                ev.deps = deps
                continue
            collabs = d.get("collaboratives") or ([d["collaborative"]] if "collaborative" in d else [])
            if "subgroup" in d and ev.type != "SubGroupFormed":
                deps.append(f"sgformed:{d['subgroup']}")
                if not collabs:
                    collabs = [self.w.subgroups[d["subgroup"]]["collab"]]
            if ev.type != "CollaborativeFormed":
                deps += [f"formed:{c}" for c in collabs]
            members = []
            if ev.type not in ("MemberJoined", "CollaborativeFormed") and "member" in d:
                members.append(d["member"])
            members += d.get("attendees", [])
            for key in ("advisor", "succeeds"):
                if key in d:
                    members.append(d[key])
            for m in members:
                deps += member_dep(m, collabs, day)
            if ev.type == "RoleEnded":
                deps.append(latest(roles[(d["collaborative"], d["role"], d.get("subgroup"), d["member"])], day).key)
            if ev.type == "SubGroupMemberLeft":
                deps.append(latest(sgjoins[(d["subgroup"], d["member"])], day).key)
            if ev.type == "MemberLeft":
                joined = latest(joins[(d["collaborative"], d["member"])], day).day
                deps += [e.key for e in sg_leaves[(d["collaborative"], d["member"])] if joined <= e.day <= day]
                deps += [e.key for e in role_ends[(d["collaborative"], d["member"])] if joined <= e.day <= day]
            ev.deps = sorted(set(deps) - {ev.key})


# --------------------------------------------------------------------------
# Recording: who entered what, when
# --------------------------------------------------------------------------

ADMIN_WEEKDAY = {"staff-01": 4, "staff-03": 4, "staff-04": 3, "staff-05": 4,
                 "staff-06": 3, "staff-07": 4, "staff-08": 1, "staff-09": 0}
RECORDER_RANK = ["staff-01", "staff-03", "staff-04", "staff-05", "staff-09", "staff-06", "staff-07", "staff-08"]


def recorder_for(scope: str, day: dt.date) -> str:
    if day < D("2022-09-01"):
        return {"oldham": "staff-03", "worcestershire": "staff-04", "east-sussex": "staff-05"}.get(scope, "staff-01")
    if day < D("2023-09-01"):
        return "staff-01"
    return {"oldham": "staff-06", "worcestershire": "staff-07", "east-sussex": "staff-08"}.get(scope, "staff-09")


def next_admin_day(recorder: str, day: dt.date) -> dt.date:
    target = ADMIN_WEEKDAY[recorder]
    return day + dt.timedelta(days=(target - day.weekday()) % 7)


def assign_recording(b: Builder) -> None:
    lags: dict[str, int] = {}

    def lag_of(group: str) -> int:
        if group not in lags:
            rng = random.Random(f"{SEED}:lag:{group}")
            x = rng.random()
            lags[group] = rng.randint(2, 6) if x < 0.55 else (rng.randint(7, 16) if x < 0.9 else rng.randint(17, 30))
        return lags[group]

    # Groups are entered together: their position is set by the group's latest event.
    group_day: dict[str, dt.date] = {}
    for ev in b.events:
        group_day[ev.group] = max(group_day.get(ev.group, ev.day), ev.day)

    def position(ev: Ev) -> tuple[dt.date, int]:
        return ev.rec, RECORDER_RANK.index(ev.recorder)

    def place(ev: Ev, day: dt.date) -> None:
        """Enter ev on the recorder's first admin day on or after `day`."""
        ev.recorder = recorder_for(ev.scope, day)
        ev.rec = next_admin_day(ev.recorder, day)
        ev.recorder = recorder_for(ev.scope, ev.rec)
        ev.rec = next_admin_day(ev.recorder, ev.rec)

    pending = sorted(b.events, key=lambda e: (group_day[e.group], e.day, PRIORITY[e.type], e.order))
    for ev in pending:
        if ev.group in LATE_GROUPS:
            ev.rec = LATE_GROUPS[ev.group]
            ev.recorder = recorder_for(ev.scope, ev.rec)
        else:
            place(ev, group_day[ev.group] + dt.timedelta(days=lag_of(ev.group)))
    # Iterate to a fixed point: an event is entered no earlier than what it refers to,
    # and a group is entered together.
    for _ in range(50):
        changed = False
        for ev in pending:
            for dep in ev.deps:
                other = b.by_key[dep]
                if position(other) > position(ev):
                    ev.rec, ev.recorder = other.rec, recorder_for(ev.scope, other.rec)
                    if position(other) > position(ev):
                        place(ev, other.rec + dt.timedelta(days=1))
                    changed = True
        latest: dict[str, Ev] = {}
        for ev in pending:
            if ev.group not in latest or position(ev) > position(latest[ev.group]):
                latest[ev.group] = ev
        for ev in pending:
            lead = latest[ev.group]
            if position(lead) > position(ev):
                ev.rec, ev.recorder = lead.rec, lead.recorder
                changed = True
        if not changed:
            break
    else:
        fail("recording order did not settle")
    for group, day in LATE_GROUPS.items():
        for ev in pending:
            if ev.group == group and ev.rec != day:
                fail(f"late group {group} was pushed from {day} to {ev.rec}")


def make_batches(b: Builder) -> list[tuple[str, list[dict]]]:
    by_batch: dict[tuple[dt.date, int], list[Ev]] = collections.defaultdict(list)
    for ev in b.events:
        if ev.rec < ev.day:
            fail(f"{ev.key} recorded before it happened")
        by_batch[(ev.rec, RECORDER_RANK.index(ev.recorder))].append(ev)
    out = []
    last_time = None
    for (day, rank) in sorted(by_batch):
        evs = by_batch[(day, rank)]
        evs.sort(key=lambda e: (e.type != "EventRetracted", e.day, PRIORITY[e.type], e.order))
        rng = random.Random(f"{SEED}:time:{day}:{rank}")
        t = dt.datetime.combine(day, dt.time(8, 30), dt.timezone.utc) + dt.timedelta(
            minutes=rank * 70 + rng.randint(0, 55), seconds=rng.randint(0, 59))
        if last_time and t <= last_time:
            t = last_time + dt.timedelta(minutes=rng.randint(3, 20), seconds=rng.randint(0, 59))
        if t.date() != day or t.hour >= 22:
            fail(f"batch time {t} drifted off its day")
        last_time = t
        out.append((t.strftime("%Y-%m-%dT%H:%M:%SZ"), [e.line() for e in evs]))
    if len(out) > 1000:
        fail("more than 1000 batches: NNN would overflow")
    return out


# --------------------------------------------------------------------------
# Writing and reading the directory
# --------------------------------------------------------------------------

def dump_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_dir(out: Path, batches: list[tuple[str, list[dict]]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if re.fullmatch(r"\d{3}\.ndjson", old.name) or old.name == "batches.tsv":
            old.unlink()
    with open(out / "batches.tsv", "w", encoding="utf-8", newline="\n") as tsv:
        for i, (rec, lines) in enumerate(batches):
            name = f"{i:03d}"
            tsv.write(f"{name}\t{rec}\n")
            with open(out / f"{name}.ndjson", "w", encoding="utf-8", newline="\n") as f:
                for line in lines:
                    f.write(dump_line(line) + "\n")


class CheckError(Exception):
    pass


def read_dir(directory: Path) -> list[tuple[str, str, list[dict]]]:
    batches = []
    tsv = (directory / "batches.tsv").read_text(encoding="utf-8").splitlines()
    for n, row in enumerate(tsv, 1):
        parts = row.split("\t")
        if len(parts) != 2 or not re.fullmatch(r"\d{3}", parts[0]):
            raise CheckError(f"batches.tsv:{n}: expected NNN<TAB>recordedAt, got {row!r}")
        lines = []
        for m, text in enumerate((directory / f"{parts[0]}.ndjson").read_text(encoding="utf-8").splitlines(), 1):
            if text.strip():
                try:
                    lines.append(json.loads(text))
                except json.JSONDecodeError as exc:
                    raise CheckError(f"{parts[0]}.ndjson:{m}: invalid JSON: {exc}") from None
        batches.append((parts[0], parts[1], lines))
    names = sorted(p.name for p in directory.iterdir() if re.fullmatch(r"\d{3}\.ndjson", p.name))
    if names != [f"{b[0]}.ndjson" for b in batches] or [b[0] for b in batches] != [f"{i:03d}" for i in range(len(batches))]:
        raise CheckError("batch files and batches.tsv do not match (NNN must be 000, 001, ... in order)")
    return batches


# --------------------------------------------------------------------------
# The independent checker: replays the files as a store would receive them.
# It knows nothing of the generator's world; it reads only the event lines.
# --------------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
INPUT_FIELDS = {"id", "type", "schemaVersion", "occurredAt", "recordedBy", "data"}
SECTORS = {"primary-school", "secondary-school", "special-school", "alternative-provision", "virtual-school",
           "la-education", "la-early-help", "la-send-inclusion", "social-care", "health", "camhs",
           "educational-psychology", "parent-carer-forum", "voluntary-sector", "programme-staff", "other"}
TYPES = {"CollaborativeFormed", "MemberJoined", "MemberDetailsChanged", "MemberLeft", "RoleAssigned",
         "RoleEnded", "SubGroupFormed", "SubGroupMemberJoined", "SubGroupMemberLeft", "SubGroupRedefined",
         "SubGroupStatusChanged", "MilestoneReached", "WorkshopHeld", "CoachingSessionHeld",
         "SurveyWaveClosed", "EventRetracted", "PersonalDataErased"}


def london_day(instant: dt.datetime) -> dt.date:
    try:
        from zoneinfo import ZoneInfo
        return instant.astimezone(ZoneInfo("Europe/London")).date()
    except Exception:  # no tz database: British time is UTC or UTC+1
        if instant.hour >= 23:
            raise CheckError(f"cannot tell the London day of {instant} without a tz database") from None
        return instant.date()


def check_directory(batches: list[tuple[str, str, list[dict]]]) -> dict:
    """Replay the batches in order; after each, the whole known timeline must be valid."""
    stored: list[tuple[int, str, dict]] = []   # (seq, batch name, line)
    ids: dict[str, dict] = {}
    retracted: dict[str, str] = {}
    prev = None
    seq = 0
    for name, rec_text, lines in batches:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", rec_text):
            raise CheckError(f"batch {name}: recordedAt {rec_text!r} is not RFC 3339 UTC")
        rec = dt.datetime.strptime(rec_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        if prev and rec <= prev:
            raise CheckError(f"batch {name}: recordedAt {rec_text} does not increase")
        prev = rec
        today = london_day(rec)
        if not lines:
            raise CheckError(f"batch {name} is empty")
        for n, line in enumerate(lines, 1):
            where = f"{name}.ndjson:{n}"
            extra = set(line) - INPUT_FIELDS
            if extra:
                raise CheckError(f"{where}: fields not allowed on input: {sorted(extra)}")
            for f in ("id", "type", "occurredAt", "data"):
                if f not in line:
                    raise CheckError(f"{where}: missing {f}")
            if not UUID_RE.match(line["id"]):
                raise CheckError(f"{where}: id is not a UUID")
            if line["id"] in ids:
                raise CheckError(f"{where}: id {line['id']} is already stored")
            if line["type"] not in TYPES:
                raise CheckError(f"{where}: unknown type {line['type']}")
            try:
                day = dt.date.fromisoformat(line["occurredAt"])
            except ValueError:
                raise CheckError(f"{where}: occurredAt {line['occurredAt']!r} is not a date") from None
            if day > today:
                raise CheckError(f"{where}: occurredAt {day} is after the clock's day {today} (future)")
            if line["type"] == "EventRetracted":
                target = line["data"].get("event")
                if target not in ids:
                    raise CheckError(f"{where}: retracts {target}, which is not stored before it")
                if ids[target]["type"] == "EventRetracted":
                    raise CheckError(f"{where}: a retraction cannot be retracted")
                if target in retracted:
                    raise CheckError(f"{where}: {target} is already retracted")
                retracted[target] = line["id"]
            seq += 1
            ids[line["id"]] = line
            stored.append((seq, name, line))
        live = [(s, b, l) for s, b, l in stored if l["id"] not in retracted and l["type"] != "EventRetracted"]
        try:
            validate_timeline(live)
        except CheckError as exc:
            raise CheckError(f"after batch {name} ({rec_text}): {exc}") from None
    return {"events": len(stored), "batches": len(batches), "retracted": len(retracted)}


def validate_timeline(entries: list[tuple[int, str, dict]]) -> None:
    """All rules of EVENTS.md on the timeline ordered by occurredAt, then recording order.

    Memberships are day intervals [joined, left). Stricter than EVENTS.md in three
    places, to be safe: a member leaving must not hold a role or sit in a sub-group of
    that collaborative any more (end them first, RoleEnded on the leave day at the
    latest), a sub-group member must be active on the day they leave it, and a
    coaching advisor must be active in the session's collaborative."""
    timeline = sorted(entries, key=lambda e: (e[2]["occurredAt"], e[0]))

    def err(entry, message):
        _, batch, line = entry
        raise CheckError(f"{line['type']} {line['id']} ({line['occurredAt']}, batch {batch}): {message}")

    def slug(entry, value, what):
        if not isinstance(value, str) or not SLUG.match(value) or len(value) > 64:
            err(entry, f"{what} {value!r} is not a slug")

    # Phase A: formations and memberships, in timeline order.
    collab_formed: dict[str, str] = {}
    sg_formed: dict[str, tuple[str, str]] = {}
    stints: dict[tuple[str, str], list[list]] = collections.defaultdict(list)   # (m, c) -> [[from, to|None]]
    first_join: dict[str, str] = {}
    details: dict[str, list[tuple[str, dict]]] = collections.defaultdict(list)
    for entry in timeline:
        _, _, line = entry
        t, d, day = line["type"], line["data"], line["occurredAt"]
        if t == "CollaborativeFormed":
            slug(entry, d["collaborative"], "collaborative")
            if d["collaborative"] in collab_formed:
                err(entry, f"collaborative {d['collaborative']} already exists")
            collab_formed[d["collaborative"]] = day
        elif t == "SubGroupFormed":
            slug(entry, d["subgroup"], "subgroup")
            if d["subgroup"] in sg_formed:
                err(entry, f"sub-group {d['subgroup']} already exists")
            if d["collaborative"] not in collab_formed:
                err(entry, f"collaborative {d['collaborative']} does not exist on {day}")
            sg_formed[d["subgroup"]] = (d["collaborative"], day)
        elif t == "MemberJoined":
            m, c = d["member"], d["collaborative"]
            slug(entry, m, "member")
            if c not in collab_formed:
                err(entry, f"collaborative {c} does not exist on {day}")
            if d["sector"] not in SECTORS:
                err(entry, f"unknown sector {d['sector']}")
            if stints[(m, c)] and stints[(m, c)][-1][1] is None:
                err(entry, f"{m} is already active in {c}")
            stints[(m, c)].append([day, None])
            first_join.setdefault(m, day)
            details[m].append((day, {k: d[k] for k in ("name", "sector", "organisation") if k in d}))
        elif t == "MemberLeft":
            m, c = d["member"], d["collaborative"]
            if c not in collab_formed:
                err(entry, f"collaborative {c} does not exist on {day}")
            if not stints[(m, c)] or stints[(m, c)][-1][1] is not None:
                err(entry, f"{m} is not active in {c} on {day}")
            stints[(m, c)][-1][1] = day
        elif t == "MemberDetailsChanged":
            m = d["member"]
            if m not in first_join:
                err(entry, f"member {m} does not exist on {day}")
            details[m].append((day, {k: d[k] for k in ("name", "sector", "organisation") if k in d}))

    def active(m, c, day):
        return any(a <= day and (b is None or day < b) for a, b in stints.get((m, c), []))

    def exists_member(m, day):
        return m in first_join and first_join[m] <= day

    def sector_on(m, day):
        sector = None
        for d_, fields in details.get(m, []):
            if d_ <= day and "sector" in fields:
                sector = fields["sector"]
        return sector

    def need_collab(entry, c, day):
        if collab_formed.get(c, "9999") > day:
            err(entry, f"collaborative {c} does not exist on {day}")

    def need_sg(entry, sg, day, collab=None):
        if sg not in sg_formed or sg_formed[sg][1] > day:
            err(entry, f"sub-group {sg} does not exist on {day}")
        if collab is not None and sg_formed[sg][0] != collab:
            err(entry, f"sub-group {sg} belongs to {sg_formed[sg][0]}, not {collab}")

    def need_active(entry, m, collabs, day, what):
        if not any(active(m, c, day) for c in collabs):
            err(entry, f"{what} {m} is not an active member of {'/'.join(collabs)} on {day}")

    def no_dups(entry, values, what):
        if len(values) != len(set(values)):
            err(entry, f"duplicates in {what}")

    # Phase B: everything else, with roles and sub-group membership in timeline order.
    tenures: dict[tuple, str] = {}          # (c, role, subgroup, m) -> since
    in_sg: dict[tuple[str, str], str] = {}  # (sg, m) -> since
    workshops: dict[str, str] = {}
    for entry in timeline:
        _, _, line = entry
        t, d, day = line["type"], line["data"], line["occurredAt"]
        if t == "MemberLeft":
            m, c = d["member"], d["collaborative"]
            open_roles = [k for k in tenures if k[0] == c and k[3] == m]
            if open_roles:
                err(entry, f"{m} leaves {c} still holding {open_roles} (end roles first)")
            open_sgs = [sg for (sg, mm) in in_sg if mm == m and sg_formed[sg][0] == c]
            if open_sgs:
                err(entry, f"{m} leaves {c} still in sub-groups {open_sgs}")
        elif t == "RoleAssigned":
            c, m, role, sg = d["collaborative"], d["member"], d["role"], d.get("subgroup")
            need_collab(entry, c, day)
            if role == "subgroup-lead" and not sg:
                err(entry, "subgroup-lead without subgroup")
            if sg:
                need_sg(entry, sg, day, c)
            need_active(entry, m, [c], day, "role holder")
            if "succeeds" in d and not exists_member(d["succeeds"], day):
                err(entry, f"succeeds {d['succeeds']}, who does not exist on {day}")
            key = (c, role, sg, m)
            if key in tenures:
                err(entry, f"{m} already holds {role} {sg or ''} in {c} since {tenures[key]}")
            tenures[key] = day
        elif t == "RoleEnded":
            c, m, role, sg = d["collaborative"], d["member"], d["role"], d.get("subgroup")
            need_collab(entry, c, day)
            key = (c, role, sg, m)
            if key not in tenures:
                err(entry, f"{m} does not hold {role} {sg or ''} in {c} on {day}")
            del tenures[key]
        elif t == "SubGroupMemberJoined":
            sg, m = d["subgroup"], d["member"]
            need_sg(entry, sg, day)
            need_active(entry, m, [sg_formed[sg][0]], day, "sub-group member")
            if (sg, m) in in_sg:
                err(entry, f"{m} is already in {sg}")
            in_sg[(sg, m)] = day
        elif t == "SubGroupMemberLeft":
            sg, m = d["subgroup"], d["member"]
            need_sg(entry, sg, day)
            if (sg, m) not in in_sg:
                err(entry, f"{m} is not in {sg}")
            need_active(entry, m, [sg_formed[sg][0]], day, "leaving sub-group member")
            del in_sg[(sg, m)]
        elif t in ("SubGroupRedefined", "SubGroupStatusChanged", "MilestoneReached"):
            need_sg(entry, d["subgroup"], day)
        elif t == "WorkshopHeld":
            cs = d["collaboratives"]
            slug(entry, d["workshop"], "workshop")
            if not cs:
                err(entry, "collaboratives is empty")
            no_dups(entry, cs, "collaboratives")
            no_dups(entry, d["attendees"], "attendees")
            for c in cs:
                need_collab(entry, c, day)
            for m in d["attendees"]:
                need_active(entry, m, cs, day, "attendee")
            if d["workshop"] in workshops:
                err(entry, f"workshop {d['workshop']} already recorded on {workshops[d['workshop']]}")
            workshops[d["workshop"]] = day
        elif t == "CoachingSessionHeld":
            c = d["collaborative"]
            need_collab(entry, c, day)
            if "subgroup" in d:
                need_sg(entry, d["subgroup"], day, c)
            no_dups(entry, d["attendees"], "attendees")
            for m in d["attendees"]:
                need_active(entry, m, [c], day, "coaching attendee")
            a = d["advisor"]
            if not exists_member(a, day):
                err(entry, f"advisor {a} does not exist on {day}")
            holds_advisor = any(k[1] == "advisor" and k[3] == a for k in tenures)
            if sector_on(a, day) != "programme-staff" and not holds_advisor:
                err(entry, f"advisor {a} is neither programme staff nor an advisor on {day}")
            need_active(entry, a, [c], day, "advisor")
        elif t == "SurveyWaveClosed":
            need_collab(entry, d["collaborative"], day)
            if d["responded"] > d["invited"]:
                err(entry, "more responses than invitations")
        elif t in ("MemberDetailsChanged", "PersonalDataErased"):
            if not exists_member(d["member"], day):
                err(entry, f"member {d['member']} does not exist on {day}")


def schema_check(repo: Path | None, batches, require: bool) -> str:
    validator = repo / "scripts" / "validate_json.py" if repo else None
    schema = repo / "Schemas" / "envelope" / "line-input.v1.schema.json" if repo else None
    if not validator or not validator.exists() or not schema.exists():
        if require:
            raise CheckError("scripts/validate_json.py or the input schema not found (use --repo)")
        return "skipped (repository with scripts/validate_json.py not found; use --repo)"
    mapping = []
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False, encoding="utf-8") as tmp:
        for name, _, lines in batches:
            for n, line in enumerate(lines, 1):
                tmp.write(dump_line(line) + "\n")
                mapping.append(f"{name}.ndjson:{n}")
    try:
        proc = subprocess.run([sys.executable, str(validator), "--ndjson", str(schema), tmp.name],
                              capture_output=True, text=True)
    finally:
        os.unlink(tmp.name)
    if proc.returncode == 2 and not require and "jsonschema" in proc.stderr:
        print("warning: schema check skipped: " + proc.stderr.strip(), file=sys.stderr)
        return "skipped (no jsonschema)"
    if proc.returncode != 0:
        out = []
        for row in (proc.stdout + proc.stderr).splitlines():
            m = re.match(r"^.*?\.ndjson:(\d+):(.*)$", row)
            out.append(f"{mapping[int(m.group(1)) - 1]}:{m.group(2)}" if m else row)
        raise CheckError("schema validation failed:\n" + "\n".join(out[:40]))
    return f"{proc.stdout.strip()} against {schema.relative_to(repo)}"


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def report(b: Builder, batches) -> str:
    w = b.w
    lines = []
    events = b.events
    types = sorted({e.type for e in events}, key=lambda t: PRIORITY[t] if t != "EventRetracted" else 99)
    per = collections.Counter((e.type, programme_year(e.day)) for e in events)
    lines.append(f"{len(events)} events in {len(batches)} batches, recorded {batches[0][0]} .. {batches[-1][0]}")
    lines.append("")
    lines.append(f"{'type   (programme year of occurredAt)':<40}{'Y1':>6}{'Y2':>6}{'Y3':>6}{'total':>7}")
    for t in types:
        ys = [per[(t, y)] for y in (1, 2, 3)]
        lines.append(f"{t:<40}{ys[0]:>6}{ys[1]:>6}{ys[2]:>6}{sum(ys):>7}")
    ys = [sum(per[(t, y)] for t in types) for y in (1, 2, 3)]
    lines.append(f"{'total':<40}{ys[0]:>6}{ys[1]:>6}{ys[2]:>6}{sum(ys):>7}")
    recyear = collections.Counter(e.rec.year for e in events)
    lines.append("entered per calendar year: " + ", ".join(f"{y}: {n}" for y, n in sorted(recyear.items())))
    lags = sorted((e.rec - e.day).days for e in events)
    lines.append(f"days from occurredAt to entry: median {lags[len(lags) // 2]}, 90th percentile "
                 f"{lags[int(len(lags) * 0.9)]}, max {lags[-1]}")
    lines.append("")
    lines.append("Members active (programme staff excluded) / survey invited / responded:")
    for wave, (day, per_c) in SURVEYS.items():
        cells = [f"{c} {len(w.active_members(c, day, staff=False))}/{i}/{r}" for c, (i, r) in per_c.items()]
        lines.append(f"  {wave} (closed {day}): " + ", ".join(cells)
                     + f"; total {SURVEY_TOTALS[wave][0]} invited, {SURVEY_TOTALS[wave][1]} responded")
    for day in (D("2022-07-08"), D("2023-07-07"), D("2024-07-05")):
        pcf = [(c, m) for c in ALL_COLLABS for m in w.holders(c, "pcf-representative", day)]
        lines.append(f"  PCF representatives on {day}: {pcf}")
    lines.append("")
    lines.append("Workshop attendance (attendees / members active that day, staff included):")
    for ws in w.workshops:
        ev = b.by_key[f"ws:{ws['slug']}"]
        active = {m for c in ws["collabs"] for m in w.active_members(c, ws["day"])}
        lines.append(f"  {ws['slug']:<9} {ws['day']} {ws['kind']:<14} {len(ev.data['attendees']):>3}/{len(active):<3}"
                     f" ({100 * len(ev.data['attendees']) / len(active):.0f}%)")
    coach = [e for e in events if e.type == "CoachingSessionHeld"]
    lines.append("")
    lines.append("Coaching sessions held (of which nobody attended):")
    for c in ALL_COLLABS:
        cells = []
        for y in (1, 2, 3):
            cs = [e for e in coach if e.data["collaborative"] == c and programme_year(e.day) == y]
            cells.append(f"Y{y} {len(cs):>3} ({sum(1 for e in cs if not e.data['attendees']):>2} empty)")
        lines.append(f"  {c:<15} " + "   ".join(cells))
    lines.append("")
    late = [e for e in events if (e.rec - e.day).days > 45]
    lines.append(f"Entered more than 45 days after they happened: {len(late)} events")
    shown = collections.Counter()
    for e in sorted(late, key=lambda e: (e.rec, e.day)):
        what = e.data.get("workshop") or e.data.get("member") or e.data.get("subgroup") or e.data.get("collaborative")
        k = (e.type, e.rec, e.recorder)
        shown[k] += 1
        if e.type == "CoachingSessionHeld":
            if shown[k] == 1:
                n = sum(1 for x in late if (x.type, x.rec, x.recorder) == k)
                lines.append(f"  {n} x CoachingSessionHeld ({e.data['collaborative']}) entered {e.rec} by {e.recorder}")
            continue
        lines.append(f"  {e.type:<20} {what:<22} occurred {e.day}  entered {e.rec} by {e.recorder}")
    cor = b.correction
    lines.append("")
    lines.append(f"Correction: {cor['workshop']} first entered {cor['target'].rec} (event {cor['target'].id}) "
                 f"listing {cor['added']} who was not there and missing {cor['omitted']}; EventRetracted and the "
                 f"replacement WorkshopHeld entered together on {CORRECTION_DAY}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("out", nargs="?", help="output directory (created; old NNN.ndjson and batches.tsv are replaced)")
    ap.add_argument("--check-only", metavar="DIR", help="only check an existing directory")
    ap.add_argument("--repo", help="Chronicle repository (for scripts/validate_json.py and Schemas/)")
    ap.add_argument("--no-schema-check", action="store_true", help="skip scripts/validate_json.py")
    ap.add_argument("--require-schema-check", action="store_true", help="fail if the schema check cannot run")
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    args = ap.parse_args(argv)
    if not args.out and not args.check_only:
        ap.error("give an output directory or --check-only DIR")
    repo = find_repo(args.repo)
    try:
        if args.check_only:
            batches = read_dir(Path(args.check_only))
            summary = check_directory(batches)
            schema = "skipped" if args.no_schema_check else schema_check(repo, batches, args.require_schema_check)
            print(f"ok: {summary['events']} events in {summary['batches']} batches obey the rules; schema: {schema}")
            return 0
        builder = Builder(World())
        builder.build()
        builder.compute_deps()
        assign_recording(builder)
        batches = make_batches(builder)
        if batches[-1][0][:10] > LAST_RECORDING.isoformat():
            fail(f"last batch {batches[-1][0]} is after {LAST_RECORDING}")
        out = Path(args.out)
        write_dir(out, batches)
        reread = read_dir(out)
        summary = check_directory(reread)
        schema = "skipped" if args.no_schema_check else schema_check(repo, reread, args.require_schema_check)
        if not args.quiet:
            print(report(builder, batches))
            print()
        print(f"ok: wrote {summary['events']} events in {summary['batches']} batches to {out}; "
              f"every rule holds after every batch; schema: {schema}")
        return 0
    except (GenerationError, CheckError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
