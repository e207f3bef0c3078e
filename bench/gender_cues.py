"""How much the synthetic generator's gender cues can tell, read from the drawn traits themselves (no images, no CNN):
cross-validated logistic regression on 10,800 sampled people, one growing set of cues at a time. A model that sees
the photos cannot beat the last line; one that only sees hair length gets about the first.

    python bench/gender_cues.py"""
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from maskkit.synth import sample_people, person_traits

people = pd.concat([sample_people(2700, 0)] * 4, ignore_index=True)
rows = []
for i, (g, a) in enumerate(zip(people.gender, people.age)):
    t = person_traits(int(g), int(a), np.random.default_rng(i))
    rows.append(dict(hair_long=t["hair_long"], lipstick=t["lipstick"], beard=t["beard"], earrings=t["earrings"], jaw=t["jaw"],
                     face_w=t["face_w"], brow=t["brow"], hairline=t["hairline"], grey=t["grey"], age=a, gender=g))
df = pd.DataFrame(rows).astype(float)
cues = ["hair_long", "lipstick", "beard", "earrings", "jaw", "face_w", "brow", "hairline", "grey", "age"]
for n in (1, 4, 6, 7, 10):
    p = cross_val_predict(LogisticRegression(max_iter=2000), df[cues[:n]].values, df.gender, cv=3, method="predict_proba")[:, 1]
    print(f"gender accuracy per person {((p > 0.5) == df.gender).mean():.3f} from {', '.join(cues[:n])}")
